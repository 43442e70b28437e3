// What the page holds in memory for the visit being read: its photos, the record as the person
// corrects it, the record as it was read (to tell which fields a person changed), and where it
// is kept in the browser's medication list once added.
export const state = {
  photos: [], // { file, url }
  record: null,
  asRead: null,
  storedId: null,
  line: null, // the 修改 link's token when the record came from LINE
  reviewed: new Set(), // editors a person has closed: their low-confidence fields were looked at
};

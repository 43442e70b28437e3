// The medication list, kept in this browser only (IndexedDB database "rxlens"): the server
// stores nothing, and the list outlives a reload so a new bag joins the ones read before.
const DB = "rxlens";
const STORE = "records"; // { id, added, record }: one AnalysisResult as the person corrected it

function opened() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

// One transaction; resolves once it is committed, so a reload right after keeps the change.
async function run(mode, work) {
  const db = await opened();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const req = work(tx.objectStore(STORE));
    tx.oncomplete = () => { db.close(); resolve(req.result); };
    tx.onerror = tx.onabort = () => { db.close(); reject(tx.error); };
  });
}

export const entries = () => run("readonly", (s) => s.getAll());
// An entry holding a record the plan can use: an older page or a damaged store may have left
// another shape, which the list shows as such instead of failing on it.
export const usable = (entry) => Array.isArray(entry?.record?.medications)
  && entry.record.medications.every((m) => m !== null && typeof m === "object");
export const add = (record) => run("readwrite", (s) => s.add({ added: new Date().toISOString(), record }));
// A corrected record replaces its stored copy; when it was added stays as it was.
export const update = (id, record) => run("readwrite", (s) => {
  const req = s.get(id);
  req.onsuccess = () => req.result && s.put({ ...req.result, record });
  return req;
});
export const remove = (id) => run("readwrite", (s) => s.delete(id));
export const clear = () => run("readwrite", (s) => s.clear());

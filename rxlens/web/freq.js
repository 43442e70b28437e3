// Canonical frequency codes a person may choose when correcting one, with the doses a day that
// rxlens/vocab/frequency.py gives them (_FIXED; 24 ÷ hours for clock codes). The plan reads only
// the canonical form, so a corrected code must carry the meaning the server would have read.
export const CODES = {
  QD: [1, "每日一次"], QDAM: [1, "每日早上一次"], QDPM: [1, "每日晚上一次"], QN: [1, "每晚一次"],
  HS: [1, "睡前"], QDHS: [1, "每日睡前一次"], BID: [2, "每日兩次"], TID: [3, "每日三次"],
  QID: [4, "每日四次"], "QD&HS": [2, "每日早上及睡前"], "QAM&HS": [2, "每日早上及睡前"],
  "QPM&HS": [2, "每日晚上及睡前"], "QAM&PM": [2, "每日早晚"], "BID&HS": [3, "每日早晚及睡前"],
  "TID&HS": [4, "每日三餐及睡前"], QOD: [0.5, "隔日一次"], QW: [1 / 7, "每週一次"],
  BIW: [2 / 7, "每週兩次"], TIW: [3 / 7, "每週三次"], Q4H: [6, "每4小時一次"], Q6H: [4, "每6小時一次"],
  Q8H: [3, "每8小時一次"], Q12H: [2, "每12小時一次"], PRN: [null, "需要時"], STAT: [null, "立即使用"],
  ASORDER: [null, "依醫囑"],
};
export const TIMINGS = { AC: "飯前", PC: "飯後", HS: "睡前", CC: "隨餐" };
const HS_CODES = new Set(["HS", "QDHS"]); // the grammar gives these the timing HS of their own

export function codeWords(code) { return CODES[code]?.[1] || ""; }

function perDay(code, weekdays, previous) {
  if (code in CODES) return CODES[code][0];
  if (weekdays.length) return weekdays.length / 7; // QW(1,3,5)
  return previous?.per_day ?? null;
}

// The FrequencyOut (rxlens/result.py) of a chosen code, timing and as-needed box. A code kept as
// read keeps what only the grammar knows (its weekdays, whether it was confirmed, AC60M).
export function frequencyOf(code, timing, prn, previous) {
  const same = previous && previous.code === code;
  const weekdays = same ? previous.weekdays : [];
  const asNeeded = prn || code === "PRN";
  const when = timing || (HS_CODES.has(code) ? "HS" : null);
  return {
    code,
    per_day: asNeeded ? null : perDay(code, weekdays, same ? previous : null),
    weekdays,
    timing: when,
    timing_minutes: same && previous.timing === when ? previous.timing_minutes : null,
    prn: asNeeded,
    known: same ? previous.known : true,
  };
}

export function sameFrequency(a, b) {
  if (!a || !b) return a === b;
  return a.code === b.code && a.timing === b.timing && a.prn === b.prn && a.timing_minutes === b.timing_minutes;
}

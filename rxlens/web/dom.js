// Small helpers every module of the page uses.
export const $ = (id) => document.getElementById(id);

export function el(tag, className = "", text = "") {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

export function num(x) { return x === null || x === undefined ? "–" : String(+x.toFixed(2)); }

const WEEKDAY = "日一二三四五六";

// Plan dates are ISO days with no time: read them as local days, never through UTC. A stored
// record's date may be anything a person or an older page kept: shown as it is.
export function day(iso, weekday = false) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return String(iso);
  const [y, m, d] = iso.split("-").map(Number);
  const said = `${y}/${m}/${d}`;
  return weekday ? `${said}（${WEEKDAY[new Date(y, m - 1, d).getDay()]}）` : said;
}

export function localToday() {
  const now = new Date();
  const two = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
}

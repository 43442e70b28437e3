// The record as cards of fields: low-confidence fields marked and listed first, corrected ones
// marked as such, each field showing where on the photo it was read.
import { $, el, num } from "./dom.js";
import { editHeader, editMedication } from "./edit.js";
import { showEvidence } from "./evidence.js";
import { codeWords, TIMINGS } from "./freq.js";
import { state } from "./state.js";

const LOW = 0.8; // below this the page asks a person to check the field
const MODE = { parallel: "並行", sequential: "依序" };
const HEADER = [["院所", "clinic_name"], ["醫師", "doctor_name"], ["就診日期", "visit_date"], ["給藥天數", "days_supply"]];
// A medication's field infos by the name its `corrected` list uses.
const MED_FIELDS = [["藥品", "drug", "drug"], ["每次", "dose", "dose_quantity"], ["頻率", "frequency", "frequency"],
                           ["時機", "frequency", "frequency"], ["天數", "days", "days"], ["總量", "total", "total_quantity"]];
const REVIEWED = MED_FIELDS.filter(([label]) => label !== "時機"); // the frequency's info, once
const CORRECTED = { drug: "藥品", dose_quantity: "每次", frequency: "頻率", days: "天數", total_quantity: "總量" };
// Warnings in records are written for logs and API users; the page says them in Chinese.
const WARNING = [
  [/^drug catalog unavailable/, () => "藥品資料庫無法連線：藥名依照片上所印顯示，未與資料庫比對。"],
  [/^no text found/, () => "照片中沒有讀到文字。"],
  [/^cloud engine (unavailable|paused)/, () => "雲端辨識暫時無法使用，已改用本機辨識。"],
  [/^the photos show different visits/, () => "這些照片來自不同次就診：每項藥品保留自己照片上的院所與日期，上方顯示第一張照片的資料。"],
  [/^not in the drug catalog/, () => "藥品資料庫中查無此藥，依照片上所印顯示。"],
  [/^frequency '(.*)' is not a code/, (m) => `頻率「${m[1]}」無法確認，依照片上所印顯示。`],
  [/^dose not read: total (\S+) ÷ \((\S+) a day × (\S+) days\) = (\S+),/,
   (m) => `每次用量未讀到：依總量 ${m[1]} ÷（每日 ${m[2]} 次 × ${m[3]} 天）推算為 ${m[4]}，請對照藥袋確認。`],
];

function warningText(text) {
  for (const [pattern, say] of WARNING) {
    const m = pattern.exec(text);
    if (m) return say(m);
  }
  return text; // already in Chinese (the catalog's own warning), or new: shown as written
}

export function warningList(texts) {
  const ul = el("ul", "warnings");
  for (const text of texts) ul.append(el("li", "", warningText(text)));
  return ul;
}

const isLow = (info, scope) => info && info.confidence < LOW && !state.reviewed.has(scope);

function field(label, value, info, { title = label, labelled = true, fixed = false, low = false } = {}) {
  const b = el("button", "field" + (fixed ? " fixed" : low ? " low" : ""));
  b.type = "button";
  if (labelled) b.append(el("span", "k", label));
  b.append(el("span", "v", String(value ?? "–")));
  if (fixed || low) b.append(el("span", "k", fixed ? "已修改" : "請核對"));
  b.onclick = () => showEvidence(title, info);
  return b;
}

function checkText(a) {
  if (a.status === "verified") return "✓ 相符";
  if (a.status === "mismatch") {
    return `✗ 不符（頻率為每日 ${num(a.per_day_read)} 次，但總量 ÷ 每次 ÷ 天數 = ${num(a.per_day_computed)}）`;
  }
  if (a.per_day_computed === null || a.per_day_computed === undefined) return "–（缺少總量、每次用量或天數，無法核對）";
  if (a.suggested_frequency) return `–（未讀到頻率；依數量推算可能是 ${a.suggested_frequency}）`;
  return "–（此頻率沒有固定次數，不核對）";
}

function medCheck(m) {
  const changed = m.corrected.filter((c) => CORRECTED[c]).map((c) => CORRECTED[c]);
  if (changed.length) return el("p", "check fixed", `已由您修改：${changed.join("、")}（數量核對依照片上讀到的數字，修改後不再重算）`);
  return el("p", `check ${m.arithmetic.status}`, `數量核對：${checkText(m.arithmetic)}`);
}

function medCard(m, i) {
  const card = el("article", "med");
  card.dataset.index = i;
  const use = [m.main_use && `用途：${m.main_use}`, m.ingredients.length && `成分：${m.ingredients.join("、")}`];
  const grid = el("div", "grid");
  const freq = m.frequency_count_code ? `${m.frequency_count_code} ${codeWords(m.frequency_count_code)}` : null;
  const values = [m.matched_drug_id ? "已對應" : "未對應", num(m.dose_quantity), freq,
                  TIMINGS[m.frequency_timing_code] || m.frequency_timing_code, num(m.days), num(m.total_quantity)];
  MED_FIELDS.forEach(([label, key, name], k) => {
    const info = m.fields[key];
    const fixed = m.corrected.includes(name);
    grid.append(field(label, values[k], info, { title: k === 0 ? "藥名" : label, fixed, low: !fixed && isLow(info, `m${i}`) }));
  });
  if (MED_FIELDS.some(([, key, name]) => !m.corrected.includes(name) && isLow(m.fields[key], `m${i}`))) card.classList.add("needs-review");
  const edit = el("button", "button small edit", "修改");
  edit.type = "button";
  edit.onclick = () => editMedication(card, i, null, renderRecord);
  card.append(el("h3", "", m.drug_name_zh || m.printed_name || "（未對應藥品）"), el("div", "en", m.drug_name_en || ""),
              el("div", "use", use.filter(Boolean).join("　")), grid, medCheck(m), edit);
  const own = m.warnings.filter((w) => w !== m.arithmetic.note); // the check line already says it
  if (own.length) card.append(warningList(own));
  return card;
}

function renderHeader(record) {
  const dl = $("header");
  dl.replaceChildren();
  for (const [label, key] of HEADER) {
    const fixed = record.corrected.includes(key);
    const dd = el("dd"); // the <dt> names it
    dd.append(field(label, record[key] ?? "未讀到", record.fields[key], { labelled: false, fixed, low: !fixed && isLow(record.fields[key], "h") }));
    dl.append(el("dt", "", label), dd);
  }
  $("edit-header").onclick = () => editHeader(null, renderRecord);
}

// Every field still to check, medications by their card's number, so a person starts there.
function renderReview(record) {
  const items = [];
  for (const [label, key] of HEADER) {
    if (record.corrected.includes(key) || !isLow(record.fields[key], "h")) continue;
    items.push([`${label}：${record[key] ?? "未讀到"}`, () => editHeader(key, renderRecord)]);
  }
  record.medications.forEach((m, i) => {
    const name = m.drug_name_zh || m.printed_name || `第 ${i + 1} 項藥品`;
    for (const [label, key, corrected] of REVIEWED) {
      if (m.corrected.includes(corrected) || !isLow(m.fields[key], `m${i}`)) continue;
      const card = $("meds").children[i];
      items.push([`${name}：${label}`, () => editMedication(card, i, corrected, renderRecord)]);
    }
  });
  const ul = $("review-list");
  ul.replaceChildren(...items.map(([text, open]) => {
    const li = el("li"), b = el("button", "linkish", text);
    b.type = "button"; b.onclick = open;
    li.append(b); return li;
  }));
  $("review").hidden = items.length === 0;
}

// Draws the record in memory as it stands now (after a person's corrections).
export function renderRecord() {
  const record = state.record;
  renderHeader(record);
  $("meds").replaceChildren(...record.medications.map(medCard));
  renderReview(record);
}

export function showRecord(record) {
  state.record = record;
  state.asRead = structuredClone(record);
  state.storedId = null;
  state.reviewed.clear();
  $("header-edit").replaceChildren(); // an editor of the previous record
  $("result").hidden = false;
  $("message").textContent = record.user_message;
  $("warnings").replaceChildren(...(record.warnings.length ? [warningList(record.warnings)] : []));
  renderRecord();
  const u = record.usage;
  const engine = u.engine === "gemini" || u.engine === "hybrid" ? "雲端辨識" : "本機辨識";
  $("usage").textContent = `${engine}・${MODE[u.mode] || u.mode}・${u.photos} 張・${Math.round(u.total_ms)} 毫秒`;
}

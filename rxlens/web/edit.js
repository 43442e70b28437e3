// Correcting the record: every field in an editor beside the photo region it was read from.
// Edits change the record in memory; `corrected` names each field that now differs from what was
// read, so the plan (and whoever reads the record later) knows a person, not the photo, said it.
import { $, el } from "./dom.js";
import { showCrop } from "./evidence.js";
import { CODES, frequencyOf, sameFrequency, TIMINGS } from "./freq.js";
import { saveCurrent } from "./list.js";
import { state } from "./state.js";

const FREE = "__free"; // the drug select's "type a name" choice

function control(tag, attrs, initial) {
  const c = el(tag);
  Object.assign(c, attrs);
  if (c.type === "checkbox") c.checked = initial;
  else c.value = initial;
  c.dataset.initial = String(initial); // what the editor opened with: only changed controls apply
  return c;
}

const valueOf = (c) => (c.type === "checkbox" ? String(c.checked) : c.value);
const changed = (...cs) => cs.some((c) => valueOf(c) !== c.dataset.initial);
const number = (c) => (c.value === "" ? null : Number(c.value));
const text = (c) => c.value.trim() || null;

function options(select, pairs) {
  for (const [value, label] of pairs) select.append(new Option(label, value));
}

// Adds or drops `name` in `corrected` as the value now differs from what was read, or not.
function mark(corrected, name, differs) {
  const at = corrected.indexOf(name);
  if (differs && at < 0) corrected.push(name);
  if (!differs && at >= 0) corrected.splice(at, 1);
}

function editor(rows, apply, done) {
  const form = el("form", "edit");
  const crop = el("figure", "crop"), canvas = el("canvas"), note = el("figcaption", "hint", "點選欄位，這裡會顯示照片上讀到的位置。");
  canvas.hidden = true;
  crop.append(canvas, note);
  const inputs = el("div", "inputs");
  for (const row of rows) {
    const label = el("label", "row");
    label.dataset.name = row.name;
    label.append(el("span", "k", row.label), row.control);
    row.control.addEventListener("focus", () => showCrop(canvas, note, row.info));
    inputs.append(label);
  }
  const ok = el("button", "button primary", "完成"), cancel = el("button", "button", "取消");
  ok.type = "submit"; cancel.type = "button";
  const buttons = el("div", "buttons");
  buttons.append(ok, cancel);
  form.append(crop, inputs, buttons);
  form.onsubmit = (e) => { e.preventDefault(); apply(); form.remove(); done(); saveCurrent(); };
  cancel.onclick = () => form.remove();
  return form;
}

// Opens (or, opened, closes) an editor; `focus` names the field to start at.
function open(host, make, focus) {
  const shown = host.querySelector(":scope > form.edit");
  if (shown && !focus) { shown.remove(); return; }
  const form = shown || make();
  if (!shown) host.append(form);
  form.scrollIntoView({ block: "nearest" });
  (form.querySelector(`[data-name="${focus}"] :is(input, select)`) || form.querySelector("input, select")).focus();
}

export function editHeader(focus, done) {
  const r = state.record, was = state.asRead;
  const c = {
    clinic_name: control("input", { type: "text" }, r.clinic_name ?? ""),
    doctor_name: control("input", { type: "text" }, r.doctor_name ?? ""),
    visit_date: control("input", { type: "date" }, r.visit_date ?? ""),
    days_supply: control("input", { type: "number", min: 1, step: 1, inputMode: "numeric" }, r.days_supply ?? ""),
  };
  const labels = { clinic_name: "院所", doctor_name: "醫師", visit_date: "就診日期", days_supply: "給藥天數" };
  const rows = Object.keys(c).map((name) => ({ name, label: labels[name], control: c[name], info: r.fields[name] }));
  const apply = () => {
    for (const [name, input] of Object.entries(c)) {
      if (!changed(input)) continue;
      r[name] = name === "days_supply" ? number(input) : text(input);
      mark(r.corrected, name, r[name] !== was[name]);
    }
    state.reviewed.add("h");
  };
  open($("header-edit"), () => editor(rows, apply, done), focus);
}

function drugChoices(m) {
  const seen = new Map();
  for (const c of [...m.candidates, ...m.alternatives]) if (!seen.has(c.id)) seen.set(c.id, c);
  if (m.matched_drug_id && !seen.has(m.matched_drug_id)) {
    seen.set(m.matched_drug_id, { id: m.matched_drug_id, name_zh: m.drug_name_zh, name_en: m.drug_name_en });
  }
  return seen;
}

function applyDrug(m, was, choices, pick, typed) {
  if (pick.value === FREE) {
    const name = text(typed);
    if (!name) return; // an empty name says nothing: the drug stays as it was
    Object.assign(m, { matched_drug_id: null, printed_name: name, drug_name_zh: name, drug_name_en: "" });
  } else {
    const c = choices.get(pick.value);
    Object.assign(m, { matched_drug_id: c.id, drug_name_zh: c.name_zh, drug_name_en: c.name_en, printed_name: was.printed_name });
  }
  const same = m.matched_drug_id === was.matched_drug_id && m.drug_name_zh === was.drug_name_zh;
  // Another product's uses and ingredients were shown for the drug as read, not for this one.
  Object.assign(m, same ? { ingredients: was.ingredients, main_use: was.main_use, side_effects: was.side_effects }
                        : { ingredients: [], main_use: "", side_effects: "" });
  mark(m.corrected, "drug", !same);
}

function frequencyControls(m) {
  const f = m.frequency;
  const code = control("select", {}, "");
  if (!f) options(code, [["", "（未讀到，請選擇）"]]);
  else if (!(f.code in CODES)) options(code, [[f.code, `${f.code}（照片所印${f.known ? "" : "，無法確認"}）`]]);
  options(code, Object.entries(CODES).map(([k, [, words]]) => [k, `${k} ${words}`]));
  code.value = code.dataset.initial = f ? f.code : "";
  const timing = control("select", {}, "");
  options(timing, [["", "不指定"], ...Object.entries(TIMINGS)]);
  timing.value = timing.dataset.initial = f?.timing ?? "";
  const prn = control("input", { type: "checkbox" }, Boolean(f?.prn));
  return { code, timing, prn };
}

function applyFrequency(m, was, { code, timing, prn }) {
  m.frequency = code.value ? frequencyOf(code.value, timing.value, prn.checked, m.frequency) : null;
  m.frequency_count_code = m.frequency?.code ?? null;
  m.frequency_timing_code = m.frequency?.timing ?? null;
  m.prn = Boolean(m.frequency?.prn);
  mark(m.corrected, "frequency", !sameFrequency(m.frequency, was.frequency));
}

function medRows(m, c) {
  const f = m.fields;
  return [["drug", "藥品", c.pick, f.drug], ["free", "自行輸入藥名", c.typed, f.drug],
          ["dose_quantity", `每次${m.dose_unit ? `（${m.dose_unit}）` : ""}`, c.dose, f.dose],
          ["frequency", "頻率", c.code, f.frequency], ["timing", "時機", c.timing, f.frequency],
          ["prn", "需要時才用", c.prn, f.frequency], ["days", "天數", c.days, f.days],
          ["total_quantity", "總量", c.total, f.total]]
    .map(([name, label, control, info]) => ({ name, label, control, info }));
}

function medControls(m, choices) {
  const pick = control("select", {}, "");
  options(pick, [...choices.values()].map((c) => [c.id, [c.name_zh, c.name_en].filter(Boolean).join("　")]));
  options(pick, [[FREE, "其他藥名（自行輸入）"]]);
  pick.value = pick.dataset.initial = m.matched_drug_id ?? FREE;
  return {
    pick, typed: control("input", { type: "text" }, m.matched_drug_id ? "" : m.drug_name_zh || m.printed_name),
    dose: control("input", { type: "number", min: 0, step: "any", inputMode: "decimal" }, m.dose_quantity ?? ""),
    days: control("input", { type: "number", min: 1, step: 1, inputMode: "numeric" }, m.days ?? ""),
    total: control("input", { type: "number", min: 0, step: "any", inputMode: "decimal" }, m.total_quantity ?? ""),
    ...frequencyControls(m),
  };
}

export function editMedication(card, i, focus, done) {
  const m = state.record.medications[i], was = state.asRead.medications[i];
  const choices = drugChoices(m);
  const c = medControls(m, choices);
  const apply = () => {
    if (changed(c.pick, c.typed)) applyDrug(m, was, choices, c.pick, c.typed);
    for (const [key, name] of [["dose", "dose_quantity"], ["days", "days"], ["total", "total_quantity"]]) {
      if (!changed(c[key])) continue;
      m[name] = number(c[key]);
      mark(m.corrected, name, m[name] !== was[name]);
    }
    if (changed(c.code, c.timing, c.prn)) applyFrequency(m, was, c);
    state.reviewed.add(`m${i}`);
  };
  open(card, () => {
    const form = editor(medRows(m, c), apply, done);
    const free = form.querySelector('[data-name="free"]');
    const showFree = () => { free.hidden = c.pick.value !== FREE; }; // the name box only for a typed name
    c.pick.addEventListener("change", showFree);
    showFree();
    return form;
  }, focus);
}

// "My medication list": records the person added, from this and earlier visits, each removable.
// The plan is built from all of them, so two bags with the same ingredient are seen together.
import { $, day, el } from "./dom.js";
import { showError } from "./problems.js";
import { state } from "./state.js";
import * as store from "./store.js";

const listeners = []; // told when the list changes (the plan shown is then out of date)

export function onChange(listener) { listeners.push(listener); }

function failed(error) {
  showError({ code: "NoStorage", detail: String(error) }, $("list-error"));
}

function summary(record) {
  const names = record.medications.map((m) => m.drug_name_zh || m.printed_name || "（未讀到藥名）");
  const where = [record.clinic_name || "未讀到院所", record.visit_date ? day(record.visit_date) : "未讀到日期"].join("・");
  return [where, names.join("、") || "沒有藥品"];
}

function item(entry) {
  const ok = store.usable(entry);
  const li = el("li", ok ? "stored" : "stored broken");
  li.dataset.id = entry.id;
  const [where, names] = ok ? summary(entry.record) : ["無法讀取的紀錄", "這筆資料是舊版或已損壞，不會納入用藥計畫；請移除。"];
  const text = el("div");
  text.append(el("strong", "", where), el("div", "names", names));
  const drop = el("button", "button small", "移除");
  drop.type = "button";
  drop.setAttribute("aria-label", `移除 ${where}`);
  drop.onclick = () => removeEntry(entry.id);
  li.append(text, drop);
  return li;
}

export async function renderList() {
  let all;
  try { all = await store.entries(); } catch (e) { failed(e); return []; }
  $("stored").replaceChildren(...all.map(item));
  $("list").hidden = all.length === 0 && !state.record;
  $("list-empty").hidden = all.length > 0;
  $("make-plan").disabled = $("clear-all").disabled = all.length === 0;
  $("add-to-list").disabled = !state.record || state.storedId !== null;
  $("add-to-list").textContent = state.storedId !== null ? "已加入我的用藥清單" : "加入我的用藥清單";
  return all;
}

async function changedList() {
  await renderList();
  for (const listener of listeners) listener();
}

export async function addCurrent() {
  try { state.storedId = await store.add(state.record); } catch (e) { failed(e); return; }
  await changedList();
}

// After a correction: the stored copy of the record being edited follows it.
export async function saveCurrent() {
  if (state.storedId === null) return;
  try { await store.update(state.storedId, state.record); } catch (e) { failed(e); return; }
  await changedList();
}

async function removeEntry(id) {
  try { await store.remove(id); } catch (e) { failed(e); return; }
  if (state.storedId === id) state.storedId = null;
  await changedList();
}

export async function clearAll() {
  if (!window.confirm("要清除整個用藥清單嗎？這台裝置上保存的紀錄都會刪除。")) return;
  try { await store.clear(); } catch (e) { failed(e); return; }
  state.storedId = null;
  await changedList();
}

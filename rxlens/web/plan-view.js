// The plan (rxlens/plan/model.py) drawn for a person: today's timetable in large type, then every
// drug with its last day, as-needed and unscheduled drugs apart, refill windows and warnings.
import { $, day, el, localToday } from "./dom.js";

const SOURCE = { days: "依天數", total: "依總量推算", days_supply: "依給藥天數" };

// Today's entry of the day-by-day list, else the first day (a plan read after it ended, or
// before it starts), saying which.
export function shownDay(plan) {
  const today = plan.days.find((d) => d.date === localToday());
  if (today) return { entry: today, word: "今天" };
  return { entry: plan.days[0] || { date: plan.start, slots: plan.slots }, word: "第一天" };
}

export const clock = (slot) => slot.time.slice(0, 5);
export const slotName = (slot) => slot.label.replace(/（.*）$/, ""); // 早餐後（08:30） → 早餐後

function slotItem(slot, names) {
  const li = el("li", "slot");
  const when = el("div", "when");
  when.append(el("span", "time", clock(slot)));
  if (slotName(slot) !== clock(slot)) when.append(el("span", "label", slotName(slot)));
  const doses = el("ul", "doses");
  for (const dose of slot.doses) {
    const item = el("li");
    const amount = dose.amount ? el("span", "amount", dose.amount) : el("span", "amount missing", "每次用量未讀到");
    item.append(el("span", "name", names[dose.drug]), amount);
    doses.append(item);
  }
  li.append(when, doses);
  return li;
}

function timetable(plan, names) {
  const { entry, word } = shownDay(plan);
  const box = el("section", "today");
  box.append(el("h3", "", `${word}　${day(entry.date, true)}`));
  if (word !== "今天") {
    const span = plan.end ? `${day(plan.start)}–${day(plan.end)}` : `${day(plan.start)} 起`;
    box.append(el("p", "hint", `今天不在這份計畫的日期內（${span}），顯示第一天。`));
  }
  const ol = el("ol", "timetable");
  ol.id = "timetable";
  ol.append(...entry.slots.map((s) => slotItem(s, names)));
  box.append(entry.slots.length ? ol : el("p", "hint", "這天沒有排定的用藥。"));
  return box;
}

function lastDay(d) {
  if (!d.last_day) return "未讀到天數或總量：不知道何時用完";
  const ends = `${day(d.start)} 起，用到 ${day(d.last_day)}（${SOURCE[d.last_day_source] || ""}）`;
  return d.run_out ? `${ends}；總量只夠到 ${day(d.run_out)}` : ends;
}

function drugItem(d, twins) {
  const li = el("li", "drug" + (twins.has(d.key) ? " dup" : ""));
  li.dataset.key = d.key;
  const name = el("strong", "", d.name);
  li.append(name, el("div", "", [d.amount && `每次 ${d.amount}`, d.frequency_words].filter(Boolean).join("・")));
  if (d.schedule === "scheduled") li.append(el("div", "last", lastDay(d)));
  if (d.schedule === "unscheduled") li.append(el("div", "reason", d.reason));
  if (d.clinic_name) li.append(el("div", "hint", d.clinic_name));
  if (twins.has(d.key)) name.after(el("span", "tag dup", "成分重複"));
  if (d.corrected.length) name.after(el("span", "tag", "已修改"));
  return li;
}

function refillItem(r, clinics) {
  const how = r.source === "computed" ? "（依健保規定推算）" : "";
  const text = `${clinics[r.record] || ""} 第 ${r.fill} 次領藥：${day(r.start)}–${day(r.end)}${how}，${day(r.remind_on)} 提醒`;
  return el("li", "", text.trim());
}

function part(title, className, items) {
  if (!items.length) return [];
  const box = el("section", className), ul = el("ul", "plain");
  ul.append(...items);
  box.append(el("h3", "", title), ul);
  return [box];
}

export function renderPlan(plan) {
  const names = Object.fromEntries(plan.drugs.map((d) => [d.key, d.name]));
  const clinics = Object.fromEntries(plan.drugs.map((d) => [d.record, d.clinic_name]));
  const twins = new Set(plan.duplicates.flatMap((t) => t.drugs));
  const of = (kind) => plan.drugs.filter((d) => d.schedule === kind).map((d) => drugItem(d, twins));
  const warnings = [...plan.warnings].sort((a, b) => (b.kind === "duplicate") - (a.kind === "duplicate"))
    .map((w) => el("li", w.kind === "duplicate" ? "dup" : "", w.text));
  $("plan-body").replaceChildren(
    timetable(plan, names),
    ...part("注意", "plan-warnings", warnings),
    ...part("每日用藥", "plan-drugs", of("scheduled")),
    ...part("需要時使用", "plan-prn", of("as_needed")),
    ...part("未排入時間表", "plan-apart", of("unscheduled")),
    ...part("領藥（連續處方箋）", "plan-refills", plan.refills.map((r) => refillItem(r, clinics))),
  );
}

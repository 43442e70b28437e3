// The plan of every record in the medication list, from POST /v1/plans, and what a person does
// with it: put it in a calendar, print it, hear it.
import { $, el, localToday } from "./dom.js";
import { renderPlan } from "./plan-view.js";
import { problemOf, showError } from "./problems.js";
import { setupSpeech, speak } from "./speech.js";
import * as store from "./store.js";

const MAX_RECORDS = 20; // rxlens/api/routes/plans.py
let shown = null; // { plan, request }: the calendar is made from the same request as the plan shown

function fail(problem) { showError(problem, $("plan-error")); }

// Only drugs with a known last day and refill windows become events (rxlens/plan/ics.py): a
// plan of as-needed drugs would download a calendar with nothing in it.
function showCalendar(plan) {
  const any = plan.refills.length > 0 || plan.drugs.some((d) => d.schedule === "scheduled" && d.last_day);
  $("calendar").disabled = !any;
  $("calendar-note").textContent = any ? "" : "沒有可加入行事曆的提醒：需要時使用的藥、不知道何時用完的藥不會建立提醒。";
}

async function post(request, accept) {
  try {
    const response = await fetch("v1/plans", {
      method: "POST", headers: { "Content-Type": "application/json", Accept: accept }, body: JSON.stringify(request),
    });
    if (response.ok) return response;
    fail(await problemOf(response));
  } catch (e) {
    fail({ code: "Offline", detail: String(e) });
  }
  return null;
}

async function makePlan() {
  $("plan-error").hidden = true;
  let records;
  try { records = (await store.entries()).filter(store.usable).map((e) => e.record); } catch (e) { fail({ code: "NoStorage", detail: String(e) }); return; }
  if (!records.length) { fail({ code: "NoRecords" }); return; }
  if (records.length > MAX_RECORDS) { fail({ code: "TooManyRecords" }); return; }
  // Records without a visit date start today: the person's today, not the server's.
  const request = { records, start: localToday() };
  const response = await post(request, "application/json");
  if (!response) return;
  shown = { plan: await response.json(), request };
  renderPlan(shown.plan);
  showCalendar(shown.plan);
  $("plan").hidden = false;
  $("plan-stale").hidden = true;
  $("plan").scrollIntoView({ block: "start" });
}

async function downloadCalendar() {
  const response = shown && (await post(shown.request, "text/calendar"));
  if (!response) return;
  const url = URL.createObjectURL(await response.blob());
  const link = el("a");
  link.href = url; link.download = "rxlens-plan.ics"; link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000); // the download has read it long before
}

// The list changed after the plan was drawn: it no longer says what the list says.
export function planOutdated() {
  if (shown) $("plan-stale").hidden = false;
}

export function setupPlan() {
  $("make-plan").onclick = makePlan;
  $("calendar").onclick = downloadCalendar;
  $("print").onclick = () => window.print();
  $("speak").onclick = () => shown && speak(shown.plan);
  setupSpeech();
}

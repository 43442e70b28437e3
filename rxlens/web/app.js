// rxlens web page: pick photos, stream progress from POST /v1/analyses, show the record to
// review and correct, keep it in the browser's medication list, and build the daily plan.
import { $, el } from "./dom.js";
import { addCurrent, clearAll, onChange, renderList } from "./list.js";
import { setupLine } from "./line.js";
import { planOutdated, setupPlan } from "./plan.js";
import { MAX_PHOTOS, problemOf, showError } from "./problems.js";
import { showRecord } from "./record.js";
import { state } from "./state.js";

const STEP = { queued: "排隊等候辨識", started: "開始辨識", received: "已收到照片", photo_read: "照片文字辨識完成", catalog_ready: "藥品資料庫就緒", matched: "藥品比對完成" };
const photos = state.photos;

function addFiles(list) {
  for (const file of list) {
    if (photos.length >= MAX_PHOTOS) break;
    photos.push({ file, url: URL.createObjectURL(file) });
  }
  renderThumbs();
}

function renderThumbs() {
  const ul = $("thumbs");
  ul.replaceChildren();
  photos.forEach((p, i) => {
    const li = el("li");
    const img = el("img");
    img.src = p.url; img.alt = `第 ${i + 1} 張照片`;
    const del = el("button", "", "×");
    del.setAttribute("aria-label", `移除第 ${i + 1} 張`);
    del.onclick = () => { URL.revokeObjectURL(p.url); photos.splice(i, 1); renderThumbs(); };
    li.append(img, del); ul.append(li);
  });
  $("count").textContent = photos.length ? `已選 ${photos.length} 張（最多 ${MAX_PHOTOS} 張）` : `尚未選擇照片（最多 ${MAX_PHOTOS} 張）`;
  $("go").disabled = photos.length === 0;
}

function step(text, done = true) {
  const li = el("li", done ? "done" : "", text);
  $("steps").append(li);
}

async function analyze() {
  $("go").disabled = true;
  $("error").hidden = true; $("result").hidden = true;
  $("progress").hidden = false; $("steps").replaceChildren();
  const form = new FormData();
  photos.forEach((p) => form.append("photos", p.file, p.file.name));
  let response;
  try {
    response = await fetch("v1/analyses", { method: "POST", body: form, headers: { Accept: "text/event-stream" } });
  } catch (e) {
    showError({ code: "Offline", detail: String(e) }, $("error"));
    $("go").disabled = false; return;
  }
  if (!response.ok) { showError(await problemOf(response), $("error")); $("go").disabled = false; return; }
  await readEvents(response.body.getReader());
  $("go").disabled = false;
}

async function readEvents(reader) {
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut); buffer = buffer.slice(cut + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] || "null");
      onEvent(event, data);
    }
  }
}

function onEvent(event, data) {
  if (event === "photo_read") step(`第 ${data.photo + 1} 張${STEP.photo_read}（${data.lines} 行）`);
  else if (event === "received") step(`${STEP.received}（${data.photos} 張）`);
  else if (STEP[event]) step(STEP[event]);
  else if (event === "error") showError(data, $("error"));
  else if (event === "result") { step("完成"); showRecord(data); renderList(); }
}

$("camera").onchange = (e) => { addFiles(e.target.files); e.target.value = ""; };
$("gallery").onchange = (e) => { addFiles(e.target.files); e.target.value = ""; };
$("go").onclick = analyze;
$("evidence-close").onclick = () => $("evidence").close();
$("add-to-list").onclick = addCurrent;
$("clear-all").onclick = clearAll;
onChange(planOutdated);
setupPlan();
renderThumbs();
renderList();
setupLine();

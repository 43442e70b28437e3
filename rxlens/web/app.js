"use strict";
// rxlens web page: pick photos, stream progress from POST /v1/analyses, show the record.
const MAX_PHOTOS = 5;
const photos = [];
const $ = (id) => document.getElementById(id);
const STEP = { queued: "排隊等候辨識", started: "開始辨識", received: "已收到照片", photo_read: "照片文字辨識完成", catalog_ready: "藥品資料庫就緒", matched: "藥品比對完成" };
const FREQ = { QD: "每日一次", BID: "每日兩次", TID: "每日三次", QID: "每日四次", HS: "睡前", PRN: "需要時",
               QOD: "隔日一次", Q4H: "每4小時", Q6H: "每6小時", Q8H: "每8小時", Q12H: "每12小時", STAT: "立即" };
const TIMING = { AC: "飯前", PC: "飯後", HS: "睡前", CC: "隨餐" };
const MODE = { parallel: "並行", sequential: "依序" };
// Problem codes of the API (rxlens/errors.py) in words for the person holding the phone.
const PROBLEM = {
  NoPhotos: ["沒有照片", "請選擇 1 到 5 張藥袋或藥單照片。"],
  TooManyPhotos: ["照片太多", `一次最多 ${MAX_PHOTOS} 張照片。`],
  UnsupportedImage: ["不是支援的照片格式", "請使用 JPEG、PNG、WebP 或 HEIC 照片。"],
  TruncatedImage: ["照片檔案不完整", "請重新拍攝或重新匯出照片。"],
  ImageTooLarge: ["照片檔案太大", "請改用較小的檔案；手機拍的 JPEG 通常只有幾 MB。"],
  TooManyPixels: ["照片尺寸太大", "請先縮小照片再上傳。"],
  RateLimited: ["送出次數太多", "請稍候片刻再試。"],
  Overloaded: ["服務忙碌中", "目前正在辨識的照片較多，請幾秒後再試。"],
  CatalogError: ["藥品資料庫無法使用", "請稍後再試；若持續發生，請聯絡管理者。"],
  CatalogEmpty: ["藥品資料庫尚未建立", "請管理者執行 rxlens catalog init。"],
  EngineError: ["文字辨識失敗", "請再試一次。"],
  EngineTimeout: ["文字辨識逾時", "請減少照片張數後再試。"],
  StageTimeout: ["辨識逾時", "請減少照片張數後再試。"],
  Offline: ["無法連線", "請確認服務仍在執行後再試一次。"],
};
// Warnings in records are written for logs and API users; the page says them in Chinese.
const WARNING = [
  [/^drug catalog unavailable/, () => "藥品資料庫無法連線：藥名依照片上所印顯示，未與資料庫比對。"],
  [/^no text found/, () => "照片中沒有讀到文字。"],
  [/^cloud engine (unavailable|paused)/, () => "雲端辨識暫時無法使用，已改用本機辨識。"],
  [/^the photos show different visits/, () => "這些照片來自不同次就診：每項藥品保留自己照片上的院所與日期，上方顯示第一張照片的資料。"],
  [/^not in the drug catalog/, () => "藥品資料庫中查無此藥，依照片上所印顯示。"],
  [/^frequency '(.*)' is not a code/, (m) => `頻率「${m[1]}」無法確認，依照片上所印顯示。`],
];
let lastRecord = null;

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
    const li = document.createElement("li");
    const img = document.createElement("img");
    img.src = p.url; img.alt = `第 ${i + 1} 張照片`;
    const del = document.createElement("button");
    del.textContent = "×"; del.setAttribute("aria-label", `移除第 ${i + 1} 張`);
    del.onclick = () => { URL.revokeObjectURL(p.url); photos.splice(i, 1); renderThumbs(); };
    li.append(img, del); ul.append(li);
  });
  $("count").textContent = photos.length ? `已選 ${photos.length} 張（最多 ${MAX_PHOTOS} 張）` : `尚未選擇照片（最多 ${MAX_PHOTOS} 張）`;
  $("go").disabled = photos.length === 0;
}

function step(text, done = true) {
  const li = document.createElement("li");
  li.textContent = text; if (done) li.className = "done";
  $("steps").append(li);
}

function showError(problem) {
  const box = $("error");
  box.hidden = false;
  box.replaceChildren();
  const [title, hint] = PROBLEM[problem.code] || ["發生錯誤", "請再試一次；若持續發生，請告知管理者下方的錯誤編號。"];
  const strong = document.createElement("strong");
  strong.textContent = title;
  const advice = document.createElement("p");
  advice.textContent = hint;
  const more = document.createElement("details");
  const summary = document.createElement("summary");
  summary.textContent = "技術細節";
  const detail = document.createElement("p");
  detail.textContent = [problem.detail, problem.request_id && `錯誤編號：${problem.request_id}`].filter(Boolean).join("　");
  more.append(summary, detail);
  box.append(strong, advice, more);
}

function warningText(text) {
  for (const [pattern, say] of WARNING) {
    const m = pattern.exec(text);
    if (m) return say(m);
  }
  return text; // already in Chinese (the catalog's own warning), or new: shown as written
}

function warningList(texts) {
  const ul = document.createElement("ul");
  ul.className = "warnings";
  for (const text of texts) {
    const li = document.createElement("li");
    li.textContent = warningText(text);
    ul.append(li);
  }
  return ul;
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
    showError({ code: "Offline", detail: String(e) });
    $("go").disabled = false; return;
  }
  if (!response.ok) { showError(await response.json().catch(() => ({ detail: `HTTP ${response.status}` }))); $("go").disabled = false; return; }
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
  else if (event === "error") showError(data);
  else if (event === "result") { step("完成"); showRecord(data); }
}

function field(label, value, info, title, labelled = true) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "field" + (info && info.confidence < 0.8 ? " low" : "");
  const v = document.createElement("span"); v.className = "v"; v.textContent = value ?? "–";
  if (labelled) { const k = document.createElement("span"); k.className = "k"; k.textContent = label; b.append(k); }
  b.append(v);
  if (info && info.confidence < 0.8) { const m = document.createElement("span"); m.className = "k"; m.textContent = "請核對"; b.append(m); }
  b.onclick = () => showEvidence(title || label, info);
  return b;
}

function num(x) { return x === null || x === undefined ? "–" : String(+x.toFixed(2)); }

function showRecord(record) {
  lastRecord = record;
  $("result").hidden = false;
  $("message").textContent = record.user_message;
  const dl = $("header"); dl.replaceChildren();
  const rows = [["院所", record.clinic_name, "clinic_name"], ["醫師", record.doctor_name, "doctor_name"],
                ["就診日期", record.visit_date, "visit_date"], ["給藥天數", record.days_supply, "days_supply"]];
  for (const [label, value, key] of rows) {
    const dt = document.createElement("dt"); dt.textContent = label;
    const dd = document.createElement("dd");
    dd.append(field(label, value ?? "未讀到", record.fields[key], label, false)); // the <dt> names it
    dl.append(dt, dd);
  }
  $("warnings").replaceChildren(...(record.warnings.length ? [warningList(record.warnings)] : []));
  const meds = $("meds"); meds.replaceChildren();
  record.medications.forEach((m, i) => meds.append(medCard(m, i)));
  const u = record.usage;
  const engine = u.engine === "gemini" || u.engine === "hybrid" ? "雲端辨識" : "本機辨識";
  $("usage").textContent = `${engine}・${MODE[u.mode] || u.mode}・${u.photos} 張・${Math.round(u.total_ms)} 毫秒`;
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

function medCard(m, i) {
  const card = document.createElement("article");
  card.className = "med"; card.dataset.index = i;
  const h = document.createElement("h3");
  h.textContent = m.drug_name_zh || m.printed_name || "（未對應藥品）";
  const en = document.createElement("div"); en.className = "en"; en.textContent = m.drug_name_en || "";
  const use = document.createElement("div"); use.className = "use";
  use.textContent = [m.main_use && `用途：${m.main_use}`, m.ingredients.length && `成分：${m.ingredients.join("、")}`]
    .filter(Boolean).join("　");
  const grid = document.createElement("div"); grid.className = "grid";
  const f = m.fields;
  const freq = m.frequency_count_code ? `${m.frequency_count_code} ${FREQ[m.frequency_count_code] || ""}` : null;
  grid.append(
    field("藥品", m.matched_drug_id ? "已對應" : "未對應", f.drug, "藥名"),
    field("每次", num(m.dose_quantity), f.dose),
    field("頻率", freq, f.frequency),
    field("時機", TIMING[m.frequency_timing_code] || m.frequency_timing_code, f.frequency),
    field("天數", num(m.days), f.days),
    field("總量", num(m.total_quantity), f.total),
  );
  const check = document.createElement("p");
  check.className = `check ${m.arithmetic.status}`;
  check.textContent = `數量核對：${checkText(m.arithmetic)}`;
  card.append(h, en, use, grid, check);
  const own = m.warnings.filter((w) => w !== m.arithmetic.note); // the check line already says it
  if (own.length) card.append(warningList(own));
  return card;
}

function showEvidence(title, info) {
  const dialog = $("evidence");
  $("evidence-title").textContent = title;
  const canvas = $("evidence-canvas");
  const ev = info && info.evidence && info.evidence[0];
  if (!ev || !photos[ev.photo]) {
    canvas.width = canvas.height = 0;
    $("evidence-text").textContent = "此欄位沒有對應的照片位置。";
    dialog.showModal(); return;
  }
  $("evidence-text").textContent = `讀到：「${info.evidence.map((e) => e.text).join(" ")}」（信心 ${info.confidence.toFixed(2)}，第 ${ev.photo + 1} 張）`;
  const img = new Image();
  img.onload = () => {
    const [w, h] = lastRecord.usage.photo_sizes[ev.photo] || [img.naturalWidth, img.naturalHeight];
    canvas.width = w; canvas.height = h;
    const ctx = canvas.getContext("2d");
    ctx.drawImage(img, 0, 0, w, h);
    ctx.lineWidth = 4; ctx.strokeStyle = "#e8590c";
    for (const e of info.evidence.filter((x) => x.photo === ev.photo)) {
      ctx.beginPath(); e.box.forEach(([x, y], k) => (k ? ctx.lineTo(x, y) : ctx.moveTo(x, y))); ctx.closePath(); ctx.stroke();
    }
    dialog.showModal();
  };
  img.src = photos[ev.photo].url;
}

$("camera").onchange = (e) => { addFiles(e.target.files); e.target.value = ""; };
$("gallery").onchange = (e) => { addFiles(e.target.files); e.target.value = ""; };
$("go").onclick = analyze;
$("evidence-close").onclick = () => $("evidence").close();
renderThumbs();

// Where on the photo a field was read: the whole photo in a dialog, or the region around the
// field beside its editor (a crop, because a whole slip is unreadable at phone width).
import { $ } from "./dom.js";
import { state } from "./state.js";

const MARGIN = 60; // working-size pixels around the boxes: enough to see the row's neighbours

function photoOf(info) {
  const ev = info && info.evidence && info.evidence[0];
  return ev && state.photos[ev.photo] ? ev.photo : null;
}

function loaded(url) {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = reject;
    img.src = url;
  });
}

function saidText(info, photo) {
  return `讀到：「${info.evidence.map((e) => e.text).join(" ")}」（信心 ${info.confidence.toFixed(2)}，第 ${photo + 1} 張）`;
}

// Draws the part [x0, y0, w, h] of the photo (in the working-size pixels the boxes use) with
// the field's boxes on it.
function draw(canvas, img, photo, info, [x0, y0, w, h]) {
  const [ww, wh] = state.record.usage.photo_sizes[photo] || [img.naturalWidth, img.naturalHeight];
  const sx = img.naturalWidth / ww, sy = img.naturalHeight / wh;
  canvas.width = w; canvas.height = h;
  const ctx = canvas.getContext("2d");
  ctx.drawImage(img, x0 * sx, y0 * sy, w * sx, h * sy, 0, 0, w, h);
  ctx.lineWidth = 4; ctx.strokeStyle = "#e8590c";
  for (const e of info.evidence.filter((x) => x.photo === photo)) {
    ctx.beginPath();
    e.box.forEach(([x, y], k) => (k ? ctx.lineTo(x - x0, y - y0) : ctx.moveTo(x - x0, y - y0)));
    ctx.closePath(); ctx.stroke();
  }
}

function around(info, photo) {
  const [w, h] = state.record.usage.photo_sizes[photo];
  const points = info.evidence.filter((e) => e.photo === photo).flatMap((e) => e.box);
  const xs = points.map((p) => p[0]), ys = points.map((p) => p[1]);
  const x0 = Math.max(0, Math.min(...xs) - MARGIN), y0 = Math.max(0, Math.min(...ys) - MARGIN);
  const x1 = Math.min(w, Math.max(...xs) + MARGIN), y1 = Math.min(h, Math.max(...ys) + MARGIN);
  return [x0, y0, Math.max(1, Math.round(x1 - x0)), Math.max(1, Math.round(y1 - y0))];
}

export async function showEvidence(title, info) {
  const dialog = $("evidence"), canvas = $("evidence-canvas");
  $("evidence-title").textContent = title;
  const photo = photoOf(info);
  if (photo === null) {
    canvas.width = canvas.height = 0;
    $("evidence-text").textContent = "此欄位沒有對應的照片位置。";
    dialog.showModal(); return;
  }
  $("evidence-text").textContent = saidText(info, photo);
  const img = await loaded(state.photos[photo].url);
  const [w, h] = state.record.usage.photo_sizes[photo] || [img.naturalWidth, img.naturalHeight];
  draw(canvas, img, photo, info, [0, 0, w, h]);
  dialog.showModal();
}

// The region of one field beside its editor; a field read from no photo says so instead.
export async function showCrop(canvas, note, info) {
  const turn = (canvas.turn = (canvas.turn || 0) + 1); // a later focus wins over a slow earlier one
  const photo = photoOf(info);
  if (photo === null || !state.record.usage.photo_sizes[photo]) {
    canvas.hidden = true;
    note.textContent = "此欄位沒有對應的照片位置。";
    return;
  }
  const img = await loaded(state.photos[photo].url);
  if (canvas.turn !== turn) return;
  draw(canvas, img, photo, info, around(info, photo));
  canvas.hidden = false;
  note.textContent = saidText(info, photo);
}

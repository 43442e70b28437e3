// A record opened from LINE's 修改 button: the link's token (in the URL fragment, never sent to
// a server by the browser) fetches it, the person corrects it here, 儲存到 LINE saves it back, and
// 加入提醒 in the chat then uses the corrected record.
import { $ } from "./dom.js";
import { problemOf, showError } from "./problems.js";
import { showRecord } from "./record.js";
import { state } from "./state.js";

function tokenFromUrl() {
  const token = new URLSearchParams(location.hash.slice(1)).get("line");
  if (token) history.replaceState(null, "", location.pathname + location.search); // out of the address bar
  return token;
}

export async function openFromLine() {
  const token = tokenFromUrl();
  if (!token) return;
  // in a header, not the path: request lines end up in logs
  const response = await fetch("line/record", { headers: { "X-Line-Link": token } }).catch(() => null);
  if (!response || !response.ok) {
    showError(response ? await problemOf(response) : { code: "Offline" }, $("error"));
    return;
  }
  state.line = token;
  showRecord(await response.json());
  $("line-save").hidden = false;
}

async function saveToLine() {
  const status = $("line-status");
  const response = await fetch("line/record", {
    method: "PUT", headers: { "Content-Type": "application/json", "X-Line-Link": state.line }, body: JSON.stringify(state.record),
  }).catch(() => null);
  if (response && response.ok) {
    status.textContent = "已儲存。回到 LINE 按「加入提醒」，提醒會照修改後的內容設定。";
    return;
  }
  status.textContent = "";
  showError(response ? await problemOf(response) : { code: "Offline" }, $("error"));
}

export function setupLine() {
  $("line-save-button").onclick = saveToLine;
  return openFromLine();
}

// Problem codes of the API (rxlens/errors.py) in words for the person holding the phone.
import { el } from "./dom.js";

export const MAX_PHOTOS = 5;
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
  InvalidRequest: ["用藥清單的資料無法使用", "請檢查修改過的欄位（日期、數字），或移除該筆後重新辨識。"],
  RequestTooLarge: ["用藥清單太大", "請移除幾筆舊的紀錄後再試。"],
  NoRecords: ["用藥清單是空的", "請先辨識藥袋，再按「加入我的用藥清單」。"],
  TooManyRecords: ["用藥清單太多筆", "一次最多 20 筆紀錄，請移除舊的紀錄後再試。"],
  LinkExpired: ["連結已過期", "請回到 LINE，在用藥紀錄上再按一次「修改」（連結 15 分鐘內有效）。"],
  LineOff: ["這個服務沒有開啟 LINE", "請從 LINE 官方帳號的訊息開啟連結。"],
  NoStorage: ["無法使用瀏覽器儲存", "這個瀏覽器不允許保存資料（例如無痕模式），用藥清單無法保留。"],
};

export function showError(problem, box) {
  box.hidden = false;
  box.replaceChildren();
  const [title, hint] = PROBLEM[problem.code] || ["發生錯誤", "請再試一次；若持續發生，請告知管理者下方的錯誤編號。"];
  const more = el("details");
  const detail = el("p", "", [problem.detail, problem.request_id && `錯誤編號：${problem.request_id}`].filter(Boolean).join("　"));
  more.append(el("summary", "", "技術細節"), detail);
  box.append(el("strong", "", title), el("p", "", hint), more);
}

// A failed response as a problem document, whatever the server (or a proxy before it) sent.
export async function problemOf(response) {
  return response.json().catch(() => ({ detail: `HTTP ${response.status}` }));
}

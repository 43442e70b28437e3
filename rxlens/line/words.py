"""What the bot says, in Traditional Chinese."""

from __future__ import annotations

from rxlens.errors import RxlensError

WELCOME = (
    "您好！把藥袋或藥單拍照傳給我（一次 1 到 5 張），我會整理成用藥紀錄，"
    "也可以幫您設定服藥提醒。輸入「隱私」看我們保存什麼，輸入「刪除資料」隨時刪除。"
)
HELP = "請傳藥袋或藥單的照片（一次 1 到 5 張）。輸入「隱私」看我們保存什麼，輸入「刪除資料」刪除您的資料。"
DELETE = {"刪除資料", "删除资料", "刪除我的資料"}
PRIVACY = {"隱私", "隐私", "隱私權"}
DELETED = "已刪除我們為您保存的所有資料（用藥紀錄與提醒）。"
PRIVACY_TEXT = (
    "隱私說明：照片只用來辨識，辨識完就不保存。您按「確認」或「加入提醒」的用藥紀錄與提醒時間，"
    "會加密保存在本服務的資料庫，只用來傳提醒給您；未確認的紀錄 24 小時後刪除。"
    "封鎖本帳號或輸入「刪除資料」，所有資料會立即刪除。我們不會把資料提供給任何人。"
)
EXPIRED = "這份用藥紀錄已過期或已刪除，請重新傳照片。"
CONFIRMED = "已保存這份用藥紀錄。按「加入提醒」可以在服藥時間收到提醒。"
_PROBLEMS = {
    "TooManyPhotos": "一次最多 5 張照片，請分開傳送。",
    "UnsupportedImage": "這個檔案不是能辨識的照片，請改傳 JPEG 或 PNG 照片。",
    "TruncatedImage": "照片檔案不完整，請重新拍攝後再傳。",
    "ImageTooLarge": "照片檔案太大，請改傳較小的照片。",
    "TooManyPixels": "照片尺寸太大，請改傳較小的照片。",
    "RateLimited": "傳送次數太多了，請稍候一分鐘再傳。",
    "Overloaded": "目前辨識的照片較多，請稍候再傳一次。",
    "StageTimeout": "辨識逾時，請減少照片張數後再傳。",
    "EngineTimeout": "辨識逾時，請減少照片張數後再傳。",
}


def problem(error: RxlensError) -> str:
    return _PROBLEMS.get(error.code, "辨識時發生問題，請稍後再傳一次。")

// Reading today's timetable aloud, where the browser has a Chinese voice; where it has none the
// button stays off and the page says why, rather than reading Chinese with an English voice.
import { $ } from "./dom.js";
import { clock, shownDay, slotName } from "./plan-view.js";

function voice() {
  const voices = window.speechSynthesis.getVoices();
  return voices.find((v) => /^zh[-_]TW$/i.test(v.lang)) || voices.find((v) => /^zh[-_](Hant|HK)/i.test(v.lang))
    || voices.find((v) => /^(zh|cmn)/i.test(v.lang)) || null;
}

function spokenTime(slot) {
  const [h, m] = clock(slot).split(":").map(Number);
  return m ? `${h}點${m}分` : `${h}點`;
}

export function spokenPlan(plan) {
  const { entry, word } = shownDay(plan);
  const names = Object.fromEntries(plan.drugs.map((d) => [d.key, d.name]));
  const lines = entry.slots.map((s) => {
    const doses = s.doses.map((d) => `${names[d.drug]} ${d.amount}`.trim()).join("、");
    const when = slotName(s) === clock(s) ? spokenTime(s) : `${slotName(s)}，${spokenTime(s)}`;
    return `${when}：${doses}。`;
  });
  return [`${word}的用藥。`, ...(lines.length ? lines : ["沒有排定的用藥。"])].join("");
}

export function setupSpeech() {
  const button = $("speak"), note = $("speak-note");
  if (!("speechSynthesis" in window)) {
    button.hidden = true;
    note.textContent = "這個瀏覽器不支援朗讀。";
    return;
  }
  const update = () => {
    const found = voice();
    button.disabled = !found;
    note.textContent = found ? "" : "這台裝置沒有中文語音，無法朗讀；可在系統設定中加入中文（台灣）語音。";
  };
  update();
  window.speechSynthesis.addEventListener("voiceschanged", update); // voices arrive after load
}

export function speak(plan) {
  window.speechSynthesis.cancel();
  const said = new SpeechSynthesisUtterance(spokenPlan(plan));
  said.lang = "zh-TW";
  said.voice = voice();
  said.rate = 0.9; // a little slower: names of drugs are long and unfamiliar
  window.speechSynthesis.speak(said);
}

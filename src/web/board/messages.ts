// The board's words in English and Hindi (the i18n namespace `board`).

import { registerMessages, type Messages } from '../i18n/index.ts';

export const BOARD_NS = 'board';

export const BOARD_MESSAGES = {
  en: {
    title: 'Outpatient department',
    nowCalling: 'Now calling',
    calledBefore: 'Called before',
    nobodyCalled: 'No token called yet',
    nowServing: 'With the doctor',
    next: 'Next',
    idle: 'nobody',
    checkIn: 'please check in',
    about: 'about {{time}}',
    nobodyWaiting: 'Nobody waiting',
    more: 'and {{count}} more',
    waiting: '{{count}} waiting',
    waitingForSeat: 'Waiting for a seat: {{numbers}}',
    late: 'Running {{minutes}} min late, until {{until}}',
    lateOpen: 'Running {{minutes}} min late',
    noDoctors: 'No doctors to show.',
    page: 'Page {{page}} of {{pages}}',
    enableSound: 'Enable sound',
    enableSoundHint: 'Tap once so that the board can chime and call numbers aloud',
  },
  hi: {
    title: 'ओपीडी – बाह्य रोगी विभाग',
    nowCalling: 'अभी बुलाया गया',
    calledBefore: 'पहले बुलाए गए',
    nobodyCalled: 'अभी कोई टोकन नहीं बुलाया गया',
    nowServing: 'डॉक्टर के पास',
    next: 'अगले',
    idle: 'कोई नहीं',
    checkIn: 'कृपया काउंटर पर आएँ',
    about: 'लगभग {{time}}',
    nobodyWaiting: 'कोई प्रतीक्षा में नहीं',
    more: 'और {{count}}',
    waiting: '{{count}} प्रतीक्षा में',
    waitingForSeat: 'सीट की प्रतीक्षा: {{numbers}}',
    late: 'डॉक्टर {{minutes}} मिनट देर से हैं, {{until}} तक',
    lateOpen: 'डॉक्टर {{minutes}} मिनट देर से हैं',
    noDoctors: 'दिखाने के लिए कोई डॉक्टर नहीं।',
    page: 'पृष्ठ {{page}} / {{pages}}',
    enableSound: 'आवाज़ चालू करें',
    enableSoundHint: 'एक बार दबाएँ, ताकि बोर्ड घंटी बजाए और नंबर बोले',
  },
} satisfies Messages;

registerMessages(BOARD_NS, BOARD_MESSAGES);

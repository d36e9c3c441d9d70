import { describe, expect, it } from 'vitest';
import { announcement, englishDigits, hindiNumber, pickVoice, roomLabel, spokenNumber, spokenRoom } from './announce.ts';

describe('the board’s announcement of a call', () => {
  it('11: says the token and the room in English, digits one by one', () => {
    expect(announcement('GM-006', '3', 'en')).toBe('Token G M zero zero six, room 3');
    expect(announcement('GM-060', 'Room 3', 'en')).toBe('Token G M zero six zero, room 3');
    expect(announcement('ENTA-1205', null, 'en')).toBe('Token E N T A one two zero five');
    expect(announcement('PD-010', 'Cabin 4', 'en')).toBe('Token P D zero one zero, Cabin 4');
    expect(announcement('PD-010', 'OPD Block B-12', 'en')).toBe('Token P D zero one zero, OPD Block B 12');
  });

  it('11: says the token and the room in Hindi, letters as Hindi speakers name them, the number as a word', () => {
    expect(announcement('GM-006', '3', 'hi')).toBe('टोकन जी एम छह, कमरा तीन');
    expect(announcement('GM-006', 'Room 3', 'hi')).toBe('टोकन जी एम छह, कमरा तीन');
    expect(announcement('PD-010', 'room 12', 'hi')).toBe('टोकन पी डी दस, कमरा बारह');
    expect(announcement('ORWZ-099', null, 'hi')).toBe('टोकन ओ आर डब्ल्यू ज़ेड निन्यानबे');
    expect(announcement('KX-123', 'OPD B-7', 'hi')).toBe('टोकन के एक्स एक सौ तेईस, ओ पी डी बी सात');
    expect(announcement('GM-001', 'कमरा 5', 'hi')).toBe('टोकन जी एम एक, कमरा पाँच');
  });

  it('names numbers in Hindi, the irregular ones too, and in Indian groups', () => {
    expect(hindiNumber(0)).toBe('शून्य');
    expect(hindiNumber(19)).toBe('उन्नीस');
    expect(hindiNumber(29)).toBe('उनतीस');
    expect(hindiNumber(45)).toBe('पैंतालीस');
    expect(hindiNumber(58)).toBe('अट्ठावन');
    expect(hindiNumber(79)).toBe('उन्यासी');
    expect(hindiNumber(99)).toBe('निन्यानबे');
    expect(hindiNumber(100)).toBe('एक सौ');
    expect(hindiNumber(305)).toBe('तीन सौ पाँच');
    expect(hindiNumber(1205)).toBe('एक हज़ार दो सौ पाँच');
    expect(hindiNumber(150_000)).toBe('एक लाख पचास हज़ार');
    expect(hindiNumber(20_030_016)).toBe('दो करोड़ तीस हज़ार सोलह');
    expect(() => hindiNumber(-1)).toThrow(RangeError);
    expect(() => hindiNumber(1.5)).toThrow(RangeError);
  });

  it('spells English digits and token numbers', () => {
    expect(englishDigits('0907')).toBe('zero nine zero seven');
    expect(spokenNumber('AB-100', 'en')).toBe('A B one zero zero');
    expect(spokenNumber('AB-100', 'hi')).toBe('ए बी एक सौ');
  });

  it('says a room with the word room once, and leaves a room named otherwise as it is', () => {
    expect(spokenRoom('3', 'en')).toBe('room 3');
    expect(spokenRoom('ROOM 3', 'en')).toBe('room 3');
    expect(spokenRoom('Cabin 4', 'hi')).toBe('Cabin चार');
    expect(spokenRoom('  ', 'en')).toBe('');
    expect(announcement('GM-006', ' ', 'en')).toBe('Token G M zero zero six');
  });

  it('writes a room on the board: a bare number or "Room n" with the word of the language, any other name as given', () => {
    expect(roomLabel('3', 'en')).toBe('Room 3');
    expect(roomLabel('3', 'hi')).toBe('कमरा 3');
    expect(roomLabel('room 14', 'en')).toBe('Room 14');
    expect(roomLabel('Room 14', 'hi')).toBe('कमरा 14');
    expect(roomLabel('OPD Block B-12', 'hi')).toBe('OPD Block B-12');
    expect(roomLabel('Roomy hall', 'en')).toBe('Roomy hall');
  });

  it('picks a voice of the locale, else of its language, the default first; none when the machine has none', () => {
    const voices = [
      { name: 'English (America)', lang: 'en-US' },
      { name: 'English (India)', lang: 'en_IN' },
      { name: 'English (Britain)', lang: 'en-GB', default: true },
      { name: 'Marathi', lang: 'mr-IN' },
    ];
    expect(pickVoice(voices, 'en-IN')?.name).toBe('English (India)');
    expect(pickVoice(voices.filter((v) => v.lang !== 'en_IN'), 'en-IN')?.name).toBe('English (Britain)');
    expect(pickVoice(voices, 'hi-IN')).toBeNull();
    expect(pickVoice([...voices, { name: 'Hindi', lang: 'hi' }], 'hi-IN')?.name).toBe('Hindi');
    expect(pickVoice([], 'en-IN')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { Pins } from './pins.js';

describe('Pins', () => {
  it('keeps a key pinned while any holder has it', () => {
    const pins = new Pins();
    const a = pins.pin(['f1', 'f2']);
    const b = pins.pin(['f2']);
    a();
    expect(pins.isPinned('f1')).toBe(false);
    expect(pins.isPinned('f2')).toBe(true);
    b();
    expect(pins.isPinned('f2')).toBe(false);
    expect(pins.size).toBe(0);
  });

  it('ignores a second release', () => {
    const pins = new Pins();
    const a = pins.pin(['k']);
    const b = pins.pin(['k']);
    a();
    a();
    expect(pins.isPinned('k')).toBe(true);
    b();
    expect(pins.isPinned('k')).toBe(false);
  });
});

import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEncryptionKey } from '../../adapters/slack/installation-store.ts';

/** Issue 12 item 14: SLACK_ENCRYPTION_KEY must be 32 random bytes; weak keys are refused with how to make one. */
describe('SLACK_ENCRYPTION_KEY', () => {
  it('accepts 32 random bytes as hex, base64 and base64url', () => {
    for (let n = 0; n < 200; n++) {
      const bytes = randomBytes(32);
      expect(parseEncryptionKey(bytes.toString('hex'))).toEqual(bytes);
      expect(parseEncryptionKey(bytes.toString('hex').toUpperCase())).toEqual(bytes);
      expect(parseEncryptionKey(bytes.toString('base64'))).toEqual(bytes);
      expect(parseEncryptionKey(` ${bytes.toString('base64url')}\n`)).toEqual(bytes);
    }
  });

  it('accepts any random key as a property', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }).filter((a) => new Set(a).size >= 24), (a) => {
        const bytes = Buffer.from(a);
        // fast-check's arrays are not uniformly random; only keys it could not have drawn by chance fail.
        const tryParse = () => parseEncryptionKey(bytes.toString('hex'));
        if (a.every((b, i) => i === 0 || (b - a[i - 1]! + 256) % 256 === (a[1]! - a[0]! + 256) % 256)) expect(tryParse).toThrow();
        else expect(tryParse()).toEqual(bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['43 × "a"', 'a'.repeat(43), /too weak/],
    ['44 × "A" ending in =', `${'A'.repeat(43)}=`, /too weak/],
    ['all-zero hex', '0'.repeat(64), /every byte is the same/],
    ['all-f hex', 'f'.repeat(64), /every byte is the same/],
    ['two alternating bytes', 'ab'.repeat(32), /every byte is the same|different byte values/],
    ['a repeated 16-byte pattern', '000102030405060708090a0b0c0d0e0f'.repeat(2), /repeats a 16-byte pattern/],
    ['a counting sequence', Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString('hex'), /count up/],
    ['a lower-case passphrase of base64 length', 'correcthorsebatterystaplecorrecthorsebatter', /too weak/],
    ['a passphrase with spaces', 'correct horse battery staple', /64 hex characters or base64.*28 characters/],
    ['a base64 word typed in', 'thisismysupersecretslackencryptionkeyhonest', /typed word or passphrase/],
    ['short', 'short', /32 bytes made at random/],
    ['33 bytes of base64', randomBytes(33).toString('base64'), /32 bytes made at random/],
    ['hex of 31 bytes', randomBytes(31).toString('hex'), /32 bytes made at random/],
  ])('refuses %s, saying how to make a key', (_name, key, reason) => {
    expect(() => parseEncryptionKey(key)).toThrow(reason);
    expect(() => parseEncryptionKey(key)).toThrow(/openssl rand -hex 32/);
  });
});

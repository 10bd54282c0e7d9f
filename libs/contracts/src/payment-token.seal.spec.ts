import { generateKeyPairSync } from 'node:crypto';
import { PaymentTokenOpener, PaymentTokenSealer, SEALED_PAYMENT_TOKEN, paymentTokenDigest } from './payment-token.seal.js';

const pair = () => {
  const { x, d } = generateKeyPairSync('x25519').privateKey.export({ format: 'jwk' });
  return { publicKey: x!, privateKey: d! };
};

describe('payment token seal', () => {
  const keys = pair();
  const sealer = new PaymentTokenSealer(keys.publicKey);
  const opener = new PaymentTokenOpener(keys.publicKey, keys.privateKey);

  it('seals a token so that it reads nothing like it, differently each time, and opens for its checkout', () => {
    const [a, b] = [sealer.seal('tok_visa', 'c1'), sealer.seal('tok_visa', 'c1')];
    expect(a).toMatch(SEALED_PAYMENT_TOKEN);
    expect(a).not.toBe(b);
    expect(a).not.toContain('tok_visa');
    expect(Buffer.from(a.split('.')[3]!, 'base64url').toString('latin1')).not.toContain('visa');
    expect([opener.open(a, 'c1'), opener.open(b, 'c1')]).toEqual(['tok_visa', 'tok_visa']);
  });

  it('opens nothing for another checkout, another key pair, an altered seal or a raw token', () => {
    const sealed = sealer.seal('tok_visa', 'c1');
    const other = pair();
    const last = sealed.at(-2) === 'A' ? 'B' : 'A';
    expect(opener.open(sealed, 'c2')).toBeUndefined();
    expect(new PaymentTokenOpener(other.publicKey, other.privateKey).open(sealed, 'c1')).toBeUndefined();
    expect(opener.open(`${sealed.slice(0, -2)}${last}${sealed.at(-1)}`, 'c1')).toBeUndefined();
    expect(opener.open('tok_visa', 'c1')).toBeUndefined();
  });

  it('opens what each of several sealers sealed (one per process)', () => {
    const sealers = [new PaymentTokenSealer(keys.publicKey), new PaymentTokenSealer(keys.publicKey)];
    expect(sealers.map((s, i) => opener.open(s.seal(`tok_${i}`, 'c3'), 'c3'))).toEqual(['tok_0', 'tok_1']);
  });

  it('refuses a private key that is not the public key’s, naming both settings', () => {
    expect(() => new PaymentTokenOpener(keys.publicKey, pair().privateKey)).toThrow(/PAYMENT_TOKEN_PRIVATE_KEY .* PAYMENT_TOKEN_PUBLIC_KEY/);
  });

  it('digests a token per checkout without showing it', () => {
    expect(paymentTokenDigest('c1', 'tok_visa')).toBe(paymentTokenDigest('c1', 'tok_visa'));
    expect(paymentTokenDigest('c2', 'tok_visa')).not.toBe(paymentTokenDigest('c1', 'tok_visa'));
    expect(paymentTokenDigest('c1', 'tok_visa')).not.toContain('tok_visa');
  });
});

import { type KeyObject, createCipheriv, createDecipheriv, createHash, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes } from 'node:crypto';
import type { CheckoutRequest, SealedCheckoutRequest } from './participants.js';

/** Marks a sealed token and its format version. */
const PREFIX = 'pt1';
const INFO = 'checkout-sagas payment token v1';
/** A process seals this many tokens under one ephemeral key before it draws another (far below the GCM random-nonce bound). */
const SEALS_PER_KEY = 1_000_000;
/** How many senders' derived keys the payments service keeps (one per entry-point process and rotation). */
const OPENED_KEYS = 256;

/** The shape of a sealed token: `pt1.<ephemeral public key>.<nonce>.<ciphertext and tag>`, base64url. */
export const SEALED_PAYMENT_TOKEN = /^pt1\.[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{23,200}$/;

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
const x25519Public = (x: string): KeyObject => createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x }, format: 'jwk' });
const contentKey = (shared: Buffer, ephemeral: string): Buffer => Buffer.from(hkdfSync('sha256', shared, Buffer.from(ephemeral, 'base64url'), INFO, 32));

/**
 * Seals card tokens for the payments service, the only holder of the private key: an X25519 key
 * agreement between an ephemeral key of this process and the payments service's public key gives an
 * AES-256-GCM key (HKDF-SHA256), and each token is encrypted under it with a fresh nonce and its
 * checkout id as associated data, so a sealed token opens for its own checkout only. The agreement
 * runs once per ephemeral key, not per token: a seal costs one AES-GCM encryption (ADR 0012).
 */
export class PaymentTokenSealer {
  private readonly recipient: KeyObject;
  private ephemeral = '';
  private key: Buffer = Buffer.alloc(0);
  private sealed = SEALS_PER_KEY;

  /** @param publicKey the payments service's X25519 public key, base64url (`PAYMENT_TOKEN_PUBLIC_KEY`). */
  constructor(publicKey: string) {
    this.recipient = x25519Public(publicKey);
  }

  seal(token: string, checkoutId: string): string {
    if (this.sealed >= SEALS_PER_KEY) this.rotate();
    this.sealed += 1;
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce).setAAD(Buffer.from(checkoutId));
    const sealed = Buffer.concat([cipher.update(token, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${PREFIX}.${this.ephemeral}.${b64(nonce)}.${b64(sealed)}`;
  }

  private rotate(): void {
    const { publicKey, privateKey } = generateKeyPairSync('x25519');
    this.ephemeral = publicKey.export({ format: 'jwk' }).x!;
    this.key = contentKey(diffieHellman({ privateKey, publicKey: this.recipient }), this.ephemeral);
    this.sealed = 0;
  }
}

/** Opens sealed card tokens: the payments service's side of {@link PaymentTokenSealer}. */
export class PaymentTokenOpener {
  private readonly privateKey: KeyObject;
  private readonly keys = new Map<string, Buffer>();

  /**
   * @param publicKey `PAYMENT_TOKEN_PUBLIC_KEY`; @param privateKey `PAYMENT_TOKEN_PRIVATE_KEY`.
   * @throws Error naming both settings when they are not one key pair.
   */
  constructor(publicKey: string, privateKey: string) {
    this.privateKey = createPrivateKey({ key: { kty: 'OKP', crv: 'X25519', x: publicKey, d: privateKey }, format: 'jwk' });
    if (createPublicKey(this.privateKey).export({ format: 'jwk' }).x !== publicKey) {
      throw new Error('PAYMENT_TOKEN_PRIVATE_KEY is not the private key of PAYMENT_TOKEN_PUBLIC_KEY: tokens sealed by the entry points could not be opened');
    }
  }

  /** The token sealed for `checkoutId`, or undefined when it was sealed for another key or checkout, or altered. */
  open(sealedToken: string, checkoutId: string): string | undefined {
    if (!SEALED_PAYMENT_TOKEN.test(sealedToken)) return undefined;
    const [, ephemeral = '', nonce = '', sealed = ''] = sealedToken.split('.');
    const body = Buffer.from(sealed, 'base64url');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.keyFor(ephemeral), Buffer.from(nonce, 'base64url')).setAAD(Buffer.from(checkoutId));
      decipher.setAuthTag(body.subarray(-16));
      return Buffer.concat([decipher.update(body.subarray(0, -16)), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }

  private keyFor(ephemeral: string): Buffer {
    let key = this.keys.get(ephemeral);
    if (key === undefined) {
      key = contentKey(diffieHellman({ privateKey: this.privateKey, publicKey: x25519Public(ephemeral) }), ephemeral);
      // Oldest first out: a sender that rotated long ago is the least likely to come back.
      if (this.keys.size >= OPENED_KEYS) this.keys.delete(this.keys.keys().next().value!);
      this.keys.set(ephemeral, key);
    }
    return key;
  }
}

/**
 * A digest of a card token within one checkout, for the entry points to recognise a retried request
 * (an idempotency check) without keeping the token: the seal is randomised and only payments opens it.
 */
export function paymentTokenDigest(checkoutId: string, token: string): string {
  return createHash('sha256').update(`${checkoutId}\n${token}`).digest('base64url');
}

/** The request as it may be stored and published under `checkoutId`: its token sealed, and digested. */
export function sealCheckoutRequest(request: CheckoutRequest, checkoutId: string, sealer: PaymentTokenSealer): SealedCheckoutRequest {
  const { token } = request.payment;
  return {
    clientId: request.clientId,
    items: request.items,
    payment: { sealedToken: sealer.seal(token, checkoutId), tokenDigest: paymentTokenDigest(checkoutId, token) },
  };
}

/** Whether `request` asks for the same purchase as the one stored for `checkoutId` (a retry); both have canonical items. */
export function isSameCheckoutRequest(stored: SealedCheckoutRequest, checkoutId: string, request: CheckoutRequest): boolean {
  return (
    stored.clientId === request.clientId &&
    stored.payment.tokenDigest === paymentTokenDigest(checkoutId, request.payment.token) &&
    stored.items.length === request.items.length &&
    stored.items.every((item, i) => item.sku === request.items[i]?.sku && item.quantity === request.items[i]?.quantity)
  );
}

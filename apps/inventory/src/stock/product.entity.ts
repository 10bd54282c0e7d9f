import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'products' })
export class ProductEntity {
  @PrimaryColumn({ type: 'text' }) sku!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ name: 'price_cents', type: 'integer' }) priceCents!: number;
  /** Units that can still be reserved; a CHECK keeps it at or above zero. */
  @Column({ type: 'integer' }) available!: number;
  /** Units held by reservations in RESERVED state. */
  @Column({ type: 'integer' }) reserved!: number;
}

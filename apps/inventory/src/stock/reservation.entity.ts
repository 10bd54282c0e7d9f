import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { LineItem, ReservationStatus } from '@app/contracts';

@Entity({ name: 'reservations' })
export class ReservationEntity {
  @PrimaryColumn({ name: 'checkout_id', type: 'text' }) checkoutId!: string;
  @Column({ type: 'text' }) status!: ReservationStatus;
  @Column({ type: 'jsonb' }) items!: LineItem[];
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

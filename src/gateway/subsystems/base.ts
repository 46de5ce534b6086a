/** The part every subsystem shares: it keeps the core it was started with, and forgets it on stop. */
import type { GatewayCore, SubsystemContext } from "../subsystem.js";

export abstract class CoreBound {
  private core_: GatewayCore | undefined;

  start(ctx: SubsystemContext): void {
    this.core_ = ctx.core;
  }

  stop(_reason?: string): void {
    this.core_ = undefined;
  }

  /** The core, or undefined before start and after stop. */
  protected get maybeCore(): GatewayCore | undefined {
    return this.core_;
  }

  /** The core; throws when used before start. */
  protected get core(): GatewayCore {
    if (!this.core_) throw new Error(`${(this as unknown as { name: string }).name} subsystem is not started`);
    return this.core_;
  }
}

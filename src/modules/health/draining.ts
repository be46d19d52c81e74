import { Injectable } from '@nestjs/common';

/** Set on SIGTERM while the instance still serves, before it closes: readiness then answers 503. */
@Injectable()
export class Draining {
  private draining = false;

  get active(): boolean {
    return this.draining;
  }

  begin(): void {
    this.draining = true;
  }
}

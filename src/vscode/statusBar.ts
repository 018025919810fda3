// The Bantam status bar item: state (loading / ready / error / disabled), model and last latency;
// its tooltip adds where the embedded model runs (accelerator, GPU layers, memory, threads) and, while
// next-edit is on, its session stats in one line.
// Clicking it opens Bantam's menu.
import * as vscode from 'vscode';
import { runtimeLines } from '../core/providers/local/modelRuntime';
import type { ServiceState } from '../core/providers/serviceState';

const ICONS: Record<ServiceState['status'], string> = {
  idle: '$(circle-outline)',
  loading: '$(loading~spin)',
  ready: '$(check)',
  error: '$(error)',
  disabled: '$(circle-slash)',
};

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('bantam.status', vscode.StatusBarAlignment.Right, 100);
  private state: ServiceState = { status: 'idle', backend: '', model: '' };
  private latencyMs: number | undefined;
  /** Next-edit's one line for the tooltip, while next-edit is on. */
  private nextEditLine: () => string | undefined = () => undefined;

  constructor() {
    this.item.name = 'Bantam';
    this.item.command = 'bantam.showMenu';
    this.render();
    this.item.show();
  }

  update(state: ServiceState): void {
    this.state = state;
    this.render();
  }

  showLatency(ms: number): void {
    this.latencyMs = ms;
    this.render();
  }

  /** Where the tooltip's next-edit line comes from (undefined while next-edit is off). */
  setNextEditLine(line: () => string | undefined): void {
    this.nextEditLine = line;
    this.render();
  }

  /** Draws again (next-edit's line changed). */
  refresh(): void {
    this.render();
  }

  /** What the item shows now (for tests and the menu). */
  get text(): string {
    return this.item.text;
  }

  get tooltip(): string {
    return typeof this.item.tooltip === 'string' ? this.item.tooltip : '';
  }

  private render(): void {
    const { status, model, backend, message, endpoint } = this.state;
    const latency = status === 'ready' && this.latencyMs !== undefined ? ` ${Math.round(this.latencyMs)} ms` : '';
    const label = status === 'error' ? 'Bantam' : model ? `Bantam: ${model}` : 'Bantam';
    // Code that goes off the machine says where, on the bar itself.
    const away = endpoint?.leavesMachine ? ` → ${endpoint.host}` : '';
    this.item.text = `${ICONS[status]} ${label}${away}${latency}`;
    const lines = [
      `Bantam inline completion: ${status}`,
      backend && `Backend: ${backend}`,
      model && `Model: ${model}`,
      endpoint && `Sends the code around the cursor to ${endpoint.host}${endpoint.leavesMachine ? ' (leaves this machine)' : ''}`,
    ];
    if (message) lines.push(message);
    const runtime = this.state.runtime;
    if (runtime) lines.push(...runtimeLines(runtime).map(([label, value]) => `${label}: ${value}`), runtime.accelerator.fallback ?? '');
    if (this.latencyMs !== undefined) lines.push(`Last suggestion: ${Math.round(this.latencyMs)} ms`);
    lines.push(this.nextEditLine() ?? '');
    lines.push('Click for options');
    this.item.tooltip = lines.filter(Boolean).join('\n');
    this.item.backgroundColor =
      status === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}

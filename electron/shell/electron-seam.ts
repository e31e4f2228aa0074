/**
 * The few pieces of Electron the shell logic uses, as plain structural types. electron/main.ts passes the real
 * modules (they satisfy these types); the unit tests pass fakes, since the Electron binary cannot run there.
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DisplayLike {
  workArea: Rect;
}

export interface ScreenLike {
  getAllDisplays(): DisplayLike[];
  getPrimaryDisplay(): DisplayLike;
}

export interface WebContentsLike {
  printToPDF(options: { landscape?: boolean; printBackground?: boolean; pageSize?: 'A4'; generateTaggedPDF?: boolean }): Promise<Uint8Array>;
  print(options?: { silent?: boolean; printBackground?: boolean }, callback?: (success: boolean, failureReason: string) => void): void;
  send(channel: string, ...args: unknown[]): void;
}

export interface WindowLike {
  webContents: WebContentsLike;
  isMinimized(): boolean;
  isMaximized(): boolean;
  isDestroyed(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
  getNormalBounds(): Rect;
}

export interface SaveDialogLike {
  showSaveDialog(
    window: never,
    options: { title?: string; defaultPath?: string; buttonLabel?: string; filters?: { name: string; extensions: string[] }[] },
  ): Promise<{ canceled: boolean; filePath?: string }>;
}

export interface MessageBoxLike {
  showMessageBox(
    window: never,
    options: { type?: 'none' | 'info' | 'error' | 'question' | 'warning'; title?: string; message: string; detail?: string; buttons?: string[]; defaultId?: number; cancelId?: number },
  ): Promise<{ response: number }>;
}

export interface ShellLike {
  /** Resolves to '' on success, or an error message. */
  openPath(path: string): Promise<string>;
  showItemInFolder(fullPath: string): void;
}

export interface AppLike {
  requestSingleInstanceLock(): boolean;
  quit(): void;
  on(event: 'second-instance', listener: () => void): unknown;
}

import { useRef, useState, type ClipboardEvent, type DragEvent } from 'react';
import { filesFromDataTransfer } from './collectFiles';

interface Props {
  label: string;
  onFiles: (files: File[]) => void;
  disabled?: boolean;
}

/** Accepts dropped files and folders, .zip archives, pasted images and a file picker. */
export function DropZone({ label, onFiles, disabled }: Props) {
  const picker = useRef<HTMLInputElement>(null);
  const folderPicker = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);

  const onDrop = async (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    if (!disabled) onFiles(await filesFromDataTransfer(event.dataTransfer));
  };
  const onPaste = async (event: ClipboardEvent) => {
    if (!disabled) onFiles(await filesFromDataTransfer(event.clipboardData));
  };

  return (
    <div
      className={`dropzone${over ? ' over' : ''}`}
      role="group"
      aria-label={label}
      tabIndex={0}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      onPaste={onPaste}
    >
      <p>Drop images, folders or .zip files here, or paste an image.</p>
      <button type="button" onClick={() => picker.current?.click()} disabled={disabled}>
        Choose files…
      </button>
      <button type="button" onClick={() => folderPicker.current?.click()} disabled={disabled}>
        Choose a folder…
      </button>
      <input
        ref={picker}
        type="file"
        multiple
        accept="image/*,.zip"
        hidden
        aria-label={`${label}: files`}
        onChange={(e) => {
          onFiles(Array.from(e.target.files ?? []));
          e.target.value = '';
        }}
      />
      <input
        ref={folderPicker}
        type="file"
        hidden
        aria-label={`${label}: folder`}
        {...{ webkitdirectory: '' }}
        onChange={(e) => {
          onFiles(Array.from(e.target.files ?? []));
          e.target.value = '';
        }}
      />
    </div>
  );
}

import { useEffect, useRef, useState } from 'preact/hooks'
import type { Api } from './api.js'
import type { MediaItem } from './types.js'

const ACCEPT = 'image/jpeg,image/png,image/webp,image/avif,image/gif'

interface UploadAreaProps {
  api: Api
  /** Names the file input for people and tests: "Upload hero photo". */
  label: string
  onUploaded: (item: MediaItem) => void
}

/**
 * A photo from disk: the file picker (keyboard and screen readers) or a file dropped on
 * the area. The server checks the file by content; its refusal is shown as it words it.
 */
export function UploadArea({ api, label, onUploaded }: UploadAreaProps) {
  const [state, setState] = useState<{ busy: boolean; error: string }>({ busy: false, error: '' })
  const [over, setOver] = useState(false)
  const input = useRef<HTMLInputElement>(null)
  const id = label.toLowerCase().replace(/[^a-z]+/g, '-')

  const send = async (file: File | undefined) => {
    if (!file) return
    setState({ busy: true, error: '' })
    try {
      onUploaded(await api.uploadMedia(file))
      setState({ busy: false, error: '' })
    } catch (error) {
      setState({ busy: false, error: error instanceof Error ? error.message : 'The upload failed' })
    } finally {
      if (input.current) input.current.value = ''
    }
  }

  return (
    <div
      class={`upload-area${over ? ' over' : ''}`}
      onDragOver={(event) => {
        event.preventDefault()
        setOver(true)
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(event) => {
        event.preventDefault()
        setOver(false)
        void send(event.dataTransfer?.files[0])
      }}
    >
      <label for={id}>{label}</label>
      <input
        id={id}
        ref={input}
        type="file"
        accept={ACCEPT}
        aria-describedby={`${id}-hint${state.error ? ` ${id}-error` : ''}`}
        disabled={state.busy}
        onChange={(event) => void send(event.currentTarget.files?.[0])}
      />
      <p id={`${id}-hint`} class="hint">
        JPEG, PNG, WebP, AVIF or GIF; or drop a file here. Location and camera data are removed.
      </p>
      {state.busy && <p role="status">Uploading…</p>}
      {state.error && (
        <p id={`${id}-error`} role="alert" class="field-error">
          {state.error}
        </p>
      )}
    </div>
  )
}

interface LibraryPickerProps {
  api: Api
  /** The picker's heading, e.g. "Choose a hero photo". */
  title: string
  onPick: (item: MediaItem) => void
  onClose: () => void
}

/** Search the media library and pick a photo; Escape or Close returns to the form. */
export function LibraryPicker({ api, title, onPick, onClose }: LibraryPickerProps) {
  const [q, setQ] = useState('')
  const [result, setResult] = useState<{ items: MediaItem[]; total: number } | null>(null)
  const [error, setError] = useState('')
  const search = useRef<HTMLInputElement>(null)

  useEffect(() => search.current?.focus(), [])
  useEffect(() => {
    const timer = setTimeout(() => {
      api
        .searchMedia(q, 0, 12)
        .then(setResult)
        .catch(() => setError('The media library could not be searched.'))
    }, 200)
    return () => clearTimeout(timer)
  }, [api, q])

  return (
    <section
      class="library-picker"
      aria-label={title}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose()
      }}
    >
      <h3>{title}</h3>
      <label for="picker-search">Search captions and credits</label>
      <input
        id="picker-search"
        ref={search}
        type="search"
        value={q}
        onInput={(e) => setQ(e.currentTarget.value)}
      />
      {error && (
        <p role="alert" class="field-error">
          {error}
        </p>
      )}
      {result && (
        <p role="status" class="hint">
          {result.total === 0 ? 'No photos found.' : `${result.total} photo${result.total === 1 ? '' : 's'}`}
        </p>
      )}
      <ul class="media-grid">
        {result?.items.map((item) => (
          <li key={item.id}>
            <button type="button" class="media-choice" onClick={() => onPick(item)}>
              <MediaThumb item={item} />
              <span>{item.caption || item.alt || 'No caption'}</span>
              <span class="visually-hidden"> — use this photo</span>
            </button>
          </li>
        ))}
      </ul>
      <button type="button" onClick={onClose}>
        Close library
      </button>
    </section>
  )
}

/** A small preview; decorative, since the caption beside it says what it shows. */
export function MediaThumb({ item }: { item: MediaItem }) {
  return (
    <img
      class="media-thumb"
      src={item.src}
      {...(item.srcset && { srcset: `${item.srcset}, ${item.src} ${item.width}w`, sizes: '10rem' })}
      width={item.width}
      height={item.height}
      alt=""
      loading="lazy"
    />
  )
}

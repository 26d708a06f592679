import { useState } from 'preact/hooks'
import type { Api } from './api.js'
import type { FigureAttributes } from './figure-node.js'
import { LibraryPicker, MediaThumb, UploadArea } from './media-picker.js'
import type { MediaItem } from './types.js'

interface PhotoFormProps {
  api: Api
  onInsert: (figure: FigureAttributes) => void
  onClose: () => void
}

/** An inline photo for the body: upload or pick one, describe it, insert it at the cursor. */
export function PhotoForm({ api, onInsert, onClose }: PhotoFormProps) {
  const [photo, setPhoto] = useState<MediaItem | null>(null)
  const [picking, setPicking] = useState(false)
  const [texts, setTexts] = useState({ alt: '', caption: '', credit: '' })
  const [error, setError] = useState('')

  const choose = (item: MediaItem) => {
    setPhoto(item)
    setPicking(false)
    setTexts({ alt: item.alt, caption: item.caption, credit: item.credit })
    setTimeout(() => document.getElementById('photo-alt')?.focus(), 0)
  }
  const insert = () => {
    if (!photo) return setError('Upload or choose a photo first')
    if (texts.alt.trim() === '') return setError('Alt text is required: describe the photo')
    onInsert({
      src: photo.src,
      width: photo.width,
      height: photo.height,
      alt: texts.alt.trim(),
      caption: texts.caption.trim(),
      credit: texts.credit.trim(),
    })
  }
  const text = (name: keyof typeof texts, label: string) => (
    <div class="field">
      <label for={`photo-${name}`}>{label}</label>
      <input
        id={`photo-${name}`}
        type="text"
        value={texts[name]}
        aria-invalid={name === 'alt' && error.startsWith('Alt')}
        onInput={(event) => setTexts({ ...texts, [name]: event.currentTarget.value })}
      />
    </div>
  )

  return (
    // A group, not a form: it sits inside the story's own form.
    <div
      class="photo-form"
      role="group"
      aria-label="Insert a photo"
      onKeyDown={(event) => {
        // Enter in a text field inserts the photo rather than submitting the whole story.
        const target = event.target
        if (event.key === 'Enter' && target instanceof HTMLInputElement && target.type === 'text') {
          event.preventDefault()
          insert()
        } else if (event.key === 'Escape') onClose()
      }}
    >
      {photo ? (
        <MediaThumb item={photo} />
      ) : (
        <>
          <UploadArea api={api} label="Upload photo for the story" onUploaded={choose} />
          <button type="button" aria-expanded={picking} onClick={() => setPicking(!picking)}>
            Choose from library
          </button>
          {picking && (
            <LibraryPicker
              api={api}
              title="Choose a photo"
              onPick={choose}
              onClose={() => setPicking(false)}
            />
          )}
        </>
      )}
      {text('alt', 'Photo alt text (required)')}
      {text('caption', 'Photo caption')}
      {text('credit', 'Credit')}
      {error && (
        <p role="alert" class="field-error">
          {error}
        </p>
      )}
      <button type="button" onClick={insert}>
        Insert photo
      </button>
      <button type="button" onClick={onClose}>
        Cancel
      </button>
    </div>
  )
}

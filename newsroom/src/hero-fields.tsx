import { useState } from 'preact/hooks'
import type { Api } from './api.js'
import { LibraryPicker, UploadArea } from './media-picker.js'
import type { HeroFields as Hero } from './story-form.js'
import type { MediaItem } from './types.js'

interface HeroFieldsProps {
  api: Api
  hero: Hero
  invalid: ReadonlySet<string>
  onChange: (hero: Hero) => void
}

/** A library photo as the hero: its address and size, its texts unless the editor wrote some. */
export function heroFromMedia(item: MediaItem, current: Hero): Hero {
  return {
    src: item.src,
    width: String(item.width),
    height: String(item.height),
    alt: item.alt || current.alt,
    caption: item.caption || current.caption,
    credit: item.credit || current.credit,
  }
}

/**
 * The hero photo: upload one (file picker or drop) or pick one from the media library,
 * then describe it; alt text is required. The address fields stay for photos elsewhere.
 */
export function HeroFields({ api, hero, invalid, onChange }: HeroFieldsProps) {
  const [picking, setPicking] = useState(false)
  const field = (
    name: keyof Hero,
    label: string,
    options: { numeric?: boolean; required?: boolean } = {},
  ) => (
    <div class={`field hero-${name}`}>
      <label for={`hero-${name}`}>
        {label}
        {options.required && <span class="required"> (required with a photo)</span>}
      </label>
      <input
        id={`hero-${name}`}
        type="text"
        inputMode={options.numeric ? 'numeric' : 'text'}
        value={hero[name]}
        aria-invalid={invalid.has(`hero/${name}`)}
        onInput={(event) => onChange({ ...hero, [name]: event.currentTarget.value })}
      />
    </div>
  )
  const showPreview = hero.src.startsWith('/media/') || hero.src.startsWith('https://')
  const use = (item: MediaItem) => {
    onChange(heroFromMedia(item, hero))
    setPicking(false)
    // The next thing to do is describe the photo.
    setTimeout(() => document.getElementById('hero-alt')?.focus(), 0)
  }
  return (
    <fieldset class="hero">
      <legend>Hero photo</legend>
      {showPreview && (
        <img class="hero-preview" src={hero.src} alt={hero.alt || 'Hero photo preview (no alt text yet)'} />
      )}
      <div class="hero-source">
        <UploadArea api={api} label="Upload hero photo" onUploaded={use} />
        <button type="button" aria-expanded={picking} onClick={() => setPicking(!picking)}>
          Choose from library
        </button>
        {showPreview && (
          <button
            type="button"
            onClick={() => onChange({ src: '', width: '', height: '', alt: '', caption: '', credit: '' })}
          >
            Remove hero photo
          </button>
        )}
      </div>
      {picking && (
        <LibraryPicker api={api} title="Choose a hero photo" onPick={use} onClose={() => setPicking(false)} />
      )}
      {field('alt', 'Alt text', { required: true })}
      {field('caption', 'Caption')}
      {field('credit', 'Photo credit')}
      <div class="hero-address">
        {field('src', 'Photo address (/media/… or https://…)')}
        <div class="hero-size">
          {field('width', 'Width (px)', { numeric: true, required: true })}
          {field('height', 'Height (px)', { numeric: true, required: true })}
        </div>
      </div>
    </fieldset>
  )
}

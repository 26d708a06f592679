import type { HeroFields as Hero } from './story-form.js'

interface HeroFieldsProps {
  hero: Hero
  invalid: ReadonlySet<string>
  onChange: (hero: Hero) => void
}

/** The hero photo by address for now; upload and the media library come later. */
export function HeroFields({ hero, invalid, onChange }: HeroFieldsProps) {
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
  return (
    <fieldset class="hero">
      <legend>Hero photo</legend>
      {showPreview && (
        <img class="hero-preview" src={hero.src} alt={hero.alt || 'Hero photo preview (no alt text yet)'} />
      )}
      {field('src', 'Photo address (/media/… or https://…)')}
      <div class="hero-size">
        {field('width', 'Width (px)', { numeric: true, required: true })}
        {field('height', 'Height (px)', { numeric: true, required: true })}
      </div>
      {field('alt', 'Alt text', { required: true })}
      {field('caption', 'Caption')}
      {field('credit', 'Photo credit')}
    </fieldset>
  )
}

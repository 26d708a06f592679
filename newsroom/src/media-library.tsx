import { useEffect, useRef, useState } from 'preact/hooks'
import type { Api } from './api.js'
import { MediaThumb, UploadArea } from './media-picker.js'
import { storyHref } from './router.js'
import type { MediaItem, SessionUser } from './types.js'

const PAGE = 24

/** The media library screen: search, upload, see where each photo is used, fix its texts, delete unused ones. */
export function MediaLibrary({ api, user }: { api: Api; user: SessionUser }) {
  const [q, setQ] = useState('')
  const [items, setItems] = useState<MediaItem[]>([])
  const [total, setTotal] = useState<number | null>(null)
  const [error, setError] = useState('')

  useEffect(() => {
    document.title = 'Media library · Newsroom'
  }, [])
  useEffect(() => {
    const timer = setTimeout(() => {
      api
        .searchMedia(q, 0, PAGE)
        .then((page) => {
          setItems(page.items)
          setTotal(page.total)
        })
        .catch(() => setError('The media library could not be loaded.'))
    }, 200)
    return () => clearTimeout(timer)
  }, [api, q])

  const more = async () => {
    const page = await api.searchMedia(q, items.length, PAGE)
    setItems([...items, ...page.items])
    setTotal(page.total)
  }
  const replace = (item: MediaItem) =>
    setItems(items.map((i) => (i.id === item.id ? { ...item, uses: i.uses } : i)))
  const remove = (item: MediaItem) => {
    setItems(items.filter((i) => i.id !== item.id))
    setTotal((total ?? 1) - 1)
  }
  const mayDelete = (item: MediaItem) =>
    item.uses.length === 0 && (user.role !== 'contributor' || item.uploadedBy === user.id)

  return (
    <>
      <h1 tabIndex={-1}>Media library</h1>
      <div class="library-tools">
        <div class="field">
          <label for="library-search">Search captions, credits and alt text</label>
          <input id="library-search" type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        </div>
        <UploadArea
          api={api}
          label="Upload a photo"
          onUploaded={(item) => {
            setItems([item, ...items.filter((i) => i.id !== item.id)])
            setTotal((total ?? 0) + 1)
          }}
        />
      </div>
      {error && (
        <p role="alert" class="notice error">
          {error}
        </p>
      )}
      {total !== null && (
        <p role="status">{total === 0 ? 'No photos found.' : `${total} photo${total === 1 ? '' : 's'}`}</p>
      )}
      <ul class="library-list">
        {items.map((item) => (
          <li key={item.id}>
            <MediaThumb item={item} />
            <MediaTextForm api={api} item={item} onSaved={replace} />
            <div class="photo-uses">
              <Uses item={item} />
              {mayDelete(item) && <DeletePhoto api={api} item={item} onDeleted={remove} />}
            </div>
          </li>
        ))}
      </ul>
      {total !== null && items.length < total && (
        <button type="button" onClick={() => void more()}>
          Show more photos
        </button>
      )}
    </>
  )
}

function Uses({ item }: { item: MediaItem }) {
  if (item.uses.length === 0) return <p class="hint">Not used in any story yet.</p>
  return (
    <div class="uses">
      <p id={`uses-${item.id}`}>Used in:</p>
      <ul aria-labelledby={`uses-${item.id}`}>
        {item.uses.map((use) => (
          <li key={`${use.as}-${use.articleId}`}>
            <a href={storyHref(use.articleId)}>{use.headline}</a> (
            {use.as === 'hero' ? 'hero' : 'in the text'}, {use.status})
          </li>
        ))}
      </ul>
    </div>
  )
}

/** Deleting asks once more, in place: the photo and its files go for good. */
function DeletePhoto({
  api,
  item,
  onDeleted,
}: {
  api: Api
  item: MediaItem
  onDeleted: (item: MediaItem) => void
}) {
  const [asking, setAsking] = useState(false)
  const [message, setMessage] = useState('')
  const keep = useRef<HTMLButtonElement>(null)
  // The safe answer takes the focus, so Enter straight after the first click keeps the photo.
  useEffect(() => {
    if (asking) keep.current?.focus()
  }, [asking])
  const confirm = async () => {
    try {
      await api.deleteMedia(item.id)
      onDeleted(item)
    } catch (error) {
      setMessage(error instanceof Error ? error.message : 'Not deleted')
    }
  }
  if (!asking)
    return (
      <button type="button" class="danger" onClick={() => setAsking(true)}>
        Delete photo
      </button>
    )
  return (
    <div class="confirm-delete" role="group" aria-label={`Delete photo ${item.id}?`}>
      <p>Delete this photo and its files for good?</p>
      <button type="button" class="danger" onClick={() => void confirm()}>
        Delete
      </button>{' '}
      <button type="button" ref={keep} onClick={() => setAsking(false)}>
        Keep it
      </button>
      {message && <p role="alert">{message}</p>}
    </div>
  )
}

function MediaTextForm({
  api,
  item,
  onSaved,
}: {
  api: Api
  item: MediaItem
  onSaved: (item: MediaItem) => void
}) {
  const [texts, setTexts] = useState({ alt: item.alt, caption: item.caption, credit: item.credit })
  const [message, setMessage] = useState('')
  const save = async (event: Event) => {
    event.preventDefault()
    try {
      onSaved(await api.updateMedia(item.id, texts))
      setMessage('Saved.')
    } catch (error) {
      setMessage(error instanceof Error ? error.message : 'Not saved')
    }
  }
  const field = (name: keyof typeof texts, label: string) => (
    <div class="field">
      <label for={`media-${item.id}-${name}`}>{label}</label>
      <input
        id={`media-${item.id}-${name}`}
        type="text"
        value={texts[name]}
        onInput={(e) => setTexts({ ...texts, [name]: e.currentTarget.value })}
      />
    </div>
  )
  return (
    <form class="media-texts" aria-label={`Photo ${item.id}`} onSubmit={(e) => void save(e)}>
      {field('caption', 'Caption')}
      {field('credit', 'Credit')}
      {field('alt', 'Alt text')}
      <button type="submit">Save photo details</button>
      {message && <p role="status">{message}</p>}
    </form>
  )
}

import { Editor } from '@tiptap/core'
import Bold from '@tiptap/extension-bold'
import Heading from '@tiptap/extension-heading'
import Link from '@tiptap/extension-link'
import StarterKit from '@tiptap/starter-kit'
import type { Ref } from 'preact'
import { useEffect, useImperativeHandle, useRef, useState } from 'preact/hooks'
import type { Api } from './api.js'
import { Figure } from './figure-node.js'
import { PhotoForm } from './photo-form.js'

/** What the story editor may do to the body from outside: replace it (recovery, conflicts). */
export interface BodyEditorHandle {
  setHtml: (html: string) => void
  focus: () => void
}

interface BodyEditorProps {
  api: Api
  initialHtml: string
  labelId: string
  onChange: (html: string) => void
  handle: Ref<BodyEditorHandle | null>
}

const LINK_PROTOCOLS = /^(https?:\/\/|mailto:)/i

/** A link the reader site will keep: http(s) or mailto, nothing else. */
export function isAllowedLink(url: string): boolean {
  if (!LINK_PROTOCOLS.test(url)) return false
  try {
    new URL(url)
    return true
  } catch {
    return false
  }
}

/**
 * Bold as Tiptap reads it, except for <b style="font-weight:normal">, the wrapper Google
 * Docs puts around everything it copies. Tiptap asks the element's computed style, which
 * our CSP leaves empty (inline styles are refused), so the style text is read instead.
 */
const PastedBold = Bold.extend({
  parseHTML() {
    return [
      { tag: 'strong' },
      {
        tag: 'b',
        getAttrs: (node) =>
          !/font-weight\s*:\s*(normal|[1-4]00)\b/i.test(node.getAttribute('style') ?? '') && null,
      },
      { style: 'font-weight=400', clearMark: (mark) => mark.type.name === this.name },
      { style: 'font-weight', getAttrs: (value) => /^(bold(er)?|[5-9]\d{2,})$/.test(value) && null },
    ]
  },
})

/** Subheads: a pasted top heading (Word's "Heading 1") is a subhead, smaller ones minor subheads. */
const PastedHeading = Heading.extend({
  parseHTML() {
    return [
      { tag: 'h1', attrs: { level: 2 } },
      { tag: 'h2', attrs: { level: 2 } },
      { tag: 'h3', attrs: { level: 3 } },
      { tag: 'h4', attrs: { level: 3 } },
      { tag: 'h5', attrs: { level: 3 } },
      { tag: 'h6', attrs: { level: 3 } },
    ]
  },
})

/**
 * The story body on Tiptap, limited to what the reader site renders: paragraphs, h2/h3
 * subheads, lists, quotes, links, bold, italic and photos with caption and credit.
 * Pasted markup outside that schema is dropped by the editor itself.
 */
function createEditor(element: HTMLElement, props: BodyEditorProps, onTransaction: () => void): Editor {
  return new Editor({
    element,
    // Tiptap would add a <style> element, which the CSP refuses; its rules are in newsroom.css.
    injectCSS: false,
    extensions: [
      StarterKit.configure({
        bold: false,
        heading: false,
        code: false,
        codeBlock: false,
        horizontalRule: false,
        strike: false,
        underline: false,
        link: false,
      }),
      Link.configure({
        openOnClick: false,
        autolink: true,
        defaultProtocol: 'https',
        protocols: ['http', 'https', 'mailto'],
        isAllowedUri: (url) => isAllowedLink(url),
        HTMLAttributes: { rel: 'noopener noreferrer', target: null },
      }),
      PastedBold,
      PastedHeading.configure({ levels: [2, 3] }),
      Figure,
    ],
    content: props.initialHtml,
    editorProps: {
      attributes: {
        role: 'textbox',
        'aria-multiline': 'true',
        'aria-labelledby': props.labelId,
        class: 'body-text',
      },
    },
    onUpdate: ({ editor }) => props.onChange(editor.isEmpty ? '' : editor.getHTML()),
    onTransaction,
  })
}

export function BodyEditor(props: BodyEditorProps) {
  const host = useRef<HTMLDivElement>(null)
  const [editor, setEditor] = useState<Editor | null>(null)
  const [, setTick] = useState(0)
  const onChange = useRef(props.onChange)
  onChange.current = props.onChange

  useEffect(() => {
    if (!host.current) return
    const created = createEditor(host.current, { ...props, onChange: (html) => onChange.current(html) }, () =>
      setTick((tick) => tick + 1),
    )
    setEditor(created)
    return () => created.destroy()
    // Made once: later content arrives through the handle, not through props.
  }, [])

  useImperativeHandle(
    props.handle,
    () => ({
      setHtml: (html: string) => editor?.commands.setContent(html, { emitUpdate: false }),
      focus: () => editor?.commands.focus(),
    }),
    [editor],
  )

  return (
    <div class="body-editor">
      {editor && <Toolbar editor={editor} api={props.api} />}
      <div ref={host} class="body-host" />
    </div>
  )
}

function Toolbar({ editor, api }: { editor: Editor; api: Api }) {
  const [linkOpen, setLinkOpen] = useState(false)
  const [photoOpen, setPhotoOpen] = useState(false)
  const mark = (label: string, name: string, toggle: () => boolean, attrs?: Record<string, unknown>) => (
    <button
      type="button"
      aria-pressed={editor.isActive(name, attrs)}
      // A click leaves the focus (and the caret) in the text, so typing goes on at once;
      // from the keyboard the button takes the focus and the command hands it back.
      onMouseDown={(event) => event.preventDefault()}
      onClick={() => toggle()}
      title={label}
    >
      {label}
    </button>
  )
  const chain = () => editor.chain().focus()
  return (
    <div class="toolbar-wrap">
      <div role="toolbar" aria-label="Formatting" class="toolbar">
        {mark('Bold', 'bold', () => chain().toggleBold().run())}
        {mark('Italic', 'italic', () => chain().toggleItalic().run())}
        {mark('Subhead', 'heading', () => chain().toggleHeading({ level: 2 }).run(), { level: 2 })}
        {mark('Minor subhead', 'heading', () => chain().toggleHeading({ level: 3 }).run(), { level: 3 })}
        {mark('Bullets', 'bulletList', () => chain().toggleBulletList().run())}
        {mark('Numbered', 'orderedList', () => chain().toggleOrderedList().run())}
        {mark('Quote', 'blockquote', () => chain().toggleBlockquote().run())}
        <button
          type="button"
          aria-pressed={editor.isActive('link')}
          aria-expanded={linkOpen}
          onClick={() => setLinkOpen(!linkOpen)}
        >
          Link
        </button>
        <button type="button" aria-expanded={photoOpen} onClick={() => setPhotoOpen(!photoOpen)}>
          Photo
        </button>
      </div>
      {linkOpen && <LinkForm editor={editor} close={() => setLinkOpen(false)} />}
      {photoOpen && (
        <PhotoForm
          api={api}
          onInsert={(figure) => {
            editor.chain().focus().insertFigure(figure).run()
            setPhotoOpen(false)
          }}
          onClose={() => setPhotoOpen(false)}
        />
      )}
    </div>
  )
}

function LinkForm({ editor, close }: { editor: Editor; close: () => void }) {
  const current: unknown = editor.getAttributes('link')['href']
  const [url, setUrl] = useState(typeof current === 'string' ? current : 'https://')
  const [error, setError] = useState('')
  const apply = (event: Event) => {
    event.preventDefault()
    const href = url.trim()
    if (!isAllowedLink(href)) {
      setError('Use a full http://, https:// or mailto: address')
      return
    }
    editor.chain().focus().extendMarkRange('link').setLink({ href }).run()
    close()
  }
  const remove = () => {
    editor.chain().focus().extendMarkRange('link').unsetLink().run()
    close()
  }
  return (
    <form class="link-form" onSubmit={apply}>
      <label for="link-url">Link address</label>
      <input
        id="link-url"
        type="url"
        value={url}
        aria-invalid={error !== ''}
        aria-describedby={error ? 'link-error' : undefined}
        onInput={(event) => setUrl(event.currentTarget.value)}
      />
      <button type="submit">Apply link</button>
      <button type="button" onClick={remove}>
        Remove link
      </button>
      {error && (
        <p id="link-error" class="field-error">
          {error}
        </p>
      )}
    </form>
  )
}

import { Node, mergeAttributes } from '@tiptap/core'

export interface FigureAttributes {
  src: string
  alt: string
  width: number | null
  height: number | null
  caption: string
  credit: string
}

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    figure: {
      /** Puts a photo with its caption and credit at the cursor. */
      insertFigure: (attributes: FigureAttributes) => ReturnType
    }
  }
}

/** Library photos and http(s) images only, as the server's body sanitizer keeps them. */
export function isAllowedImage(src: string): boolean {
  return /^\/media\/[\w./-]+$/.test(src) ? !src.includes('..') : /^https?:\/\/[^\s"'<>]+$/i.test(src)
}

const size = (value: string | null) => (value && /^[1-9]\d{0,4}$/.test(value) ? Number(value) : null)

/**
 * An inline photo in the story body: <figure><img><figcaption>caption <small>credit</small>
 * </figcaption></figure>, the one figure shape the reader site renders. It is one block
 * the editor moves and deletes whole; its texts are set when it is inserted.
 */
export const Figure = Node.create({
  name: 'figure',
  group: 'block',
  atom: true,
  draggable: true,
  selectable: true,

  addAttributes() {
    return {
      src: { default: '' },
      alt: { default: '' },
      width: { default: null },
      height: { default: null },
      caption: { default: '' },
      credit: { default: '' },
    }
  },

  parseHTML() {
    return [
      {
        tag: 'figure',
        getAttrs: (element) => {
          const img = element.querySelector('img')
          const src = img?.getAttribute('src') ?? ''
          if (!img || !isAllowedImage(src)) return false
          const figcaption = element.querySelector('figcaption')
          const small = figcaption?.querySelector('small')
          const credit = small?.textContent?.trim() ?? ''
          small?.remove()
          return {
            src,
            alt: img.getAttribute('alt') ?? '',
            width: size(img.getAttribute('width')),
            height: size(img.getAttribute('height')),
            caption: figcaption?.textContent?.trim() ?? '',
            credit,
          }
        },
      },
    ]
  },

  renderHTML({ node, HTMLAttributes }) {
    const attrs = node.attrs as FigureAttributes
    const img = [
      'img',
      mergeAttributes({
        src: attrs.src,
        alt: attrs.alt,
        ...(attrs.width && { width: String(attrs.width) }),
        ...(attrs.height && { height: String(attrs.height) }),
      }),
    ] as const
    const parts: (string | readonly [string, ...unknown[]])[] = []
    if (attrs.caption) parts.push(attrs.credit ? `${attrs.caption} ` : attrs.caption)
    if (attrs.credit) parts.push(['small', attrs.credit])
    return parts.length > 0
      ? ['figure', HTMLAttributes, img, ['figcaption', ...parts]]
      : ['figure', HTMLAttributes, img]
  },

  addCommands() {
    return {
      insertFigure:
        (attributes) =>
        ({ commands }) =>
          isAllowedImage(attributes.src) && commands.insertContent({ type: this.name, attrs: attributes }),
    }
  },
})

import { Parser } from 'htmlparser2'

const LISTS = new Set(['ul', 'ol'])
const VOID = new Set(['img', 'br', 'hr'])

/**
 * Puts list items where HTML allows them, in markup the body rules have already cleaned
 * (every tag allowed, every attribute quoted and escaped). The rules keep tags one by one
 * and cannot see where each stands, so careless or hostile copy left a paragraph straight
 * inside a list, or an item outside any, and HTML checkers flagged the page. Now what
 * stands in a list outside an item gets an item of its own, and an item outside a list
 * loses its tag and keeps what it holds. Markup without lists is returned untouched.
 */
export function mendLists(html: string): string {
  if (!/<(?:li|ul|ol)[\s>/]/.test(html)) return html
  const parts: string[] = []
  const open: { name: string; dropped: boolean; itemAdded: boolean }[] = []
  const inList = () => LISTS.has(open.at(-1)?.name ?? '')
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (name === 'li' && !inList()) {
          open.push({ name, dropped: true, itemAdded: false })
          return
        }
        const itemAdded = name !== 'li' && inList()
        if (itemAdded) parts.push('<li>')
        open.push({ name, dropped: false, itemAdded })
        const attributes = Object.entries(attribs).map(([key, value]) => ` ${key}="${value}"`)
        parts.push(`<${name}${attributes.join('')}${VOID.has(name) ? ' />' : '>'}`)
      },
      ontext(text) {
        parts.push(inList() && text.trim() !== '' ? `<li>${text}</li>` : text)
      },
      onclosetag(name) {
        const element = open.pop()
        if (!element) return
        if (!element.dropped && !VOID.has(name)) parts.push(`</${name}>`)
        if (element.itemAdded) parts.push('</li>')
      },
    },
    // Text and attributes pass through as the rules escaped them.
    { decodeEntities: false, recognizeSelfClosing: true },
  )
  parser.write(html)
  parser.end()
  return parts.join('')
}

import type { ArticleSummary } from '../../modules/articles/index.js'
import { formatAbsoluteWithTime, formatRelative } from './time-format.js'

export function articleHref(story: { sectionSlug: string; slug: string }): string {
  return `/${story.sectionSlug}/${story.slug}`
}

/** srcset/sizes attributes when the image has smaller renditions; none otherwise. */
export function responsive(image: { src: string; width: number; srcset: string }, sizes: string) {
  return image.srcset ? { srcset: `${image.srcset}, ${image.src} ${image.width}w`, sizes } : {}
}

export function RelativeTime(props: { time: Date; now: Date; prefix?: string }) {
  return (
    <time datetime={props.time.toISOString()} title={formatAbsoluteWithTime(props.time)} data-relative="">
      {formatRelative(props.time, props.now)}
    </time>
  )
}

/** A plain list of headlines with their update times. */
export function StoryList(props: { stories: ArticleSummary[]; now: Date }) {
  return (
    <ul class="list">
      {props.stories.map((story) => (
        <li key={story.id}>
          <a href={articleHref(story)}>{story.headline}</a>
          <RelativeTime time={story.publicUpdatedAt} now={props.now} />
        </li>
      ))}
    </ul>
  )
}

/** Stories as cards with their photos; images below the fold load lazily. */
export function StoryGrid(props: { stories: ArticleSummary[]; now: Date; headingLevel?: 'h2' | 'h3' }) {
  const Heading = props.headingLevel ?? 'h3'
  return (
    <div class="grid">
      {props.stories.map((story) => (
        <article class="card" key={story.id}>
          {story.hero && (
            <img
              src={story.hero.src}
              alt={story.hero.alt}
              width={story.hero.width}
              height={story.hero.height}
              {...responsive(story.hero, '(min-width: 48rem) 22rem, 100vw')}
              loading="lazy"
              decoding="async"
            />
          )}
          <Heading>
            <a href={articleHref(story)}>{story.headline}</a>
          </Heading>
          <RelativeTime time={story.publicUpdatedAt} now={props.now} />
        </article>
      ))}
    </div>
  )
}

/** Newer and older pages of a list; `query` ("q=flood") is kept on every link. */
export function Pager(props: {
  basePath: string
  page: number
  hasNext: boolean
  query?: string | undefined
}) {
  if (props.page <= 1 && !props.hasNext) return null
  const href = (page: number) => {
    const params = [props.query, page > 1 ? `page=${page}` : undefined].filter(Boolean).join('&')
    return params === '' ? props.basePath : `${props.basePath}?${params}`
  }
  return (
    <nav class="pager" aria-label="Pages">
      {props.page > 1 ? (
        <a href={href(props.page - 1)} rel="prev">
          Newer stories
        </a>
      ) : (
        <span />
      )}
      {props.hasNext ? (
        <a href={href(props.page + 1)} rel="next">
          Older stories
        </a>
      ) : (
        <span />
      )}
    </nav>
  )
}

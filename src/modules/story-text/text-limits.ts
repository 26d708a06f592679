// How much text a story may hold, field by field: the articles module refuses more, and
// the wire cuts agency copy to fit before it becomes a story.
export const MAX_KEY_POINTS = 6
export const MAX_HEADLINE_LENGTH = 200
export const MAX_KEY_POINT_LENGTH = 300
export const MAX_BODY_LENGTH = 200_000
export const MAX_DATELINE_LENGTH = 100

// Reader-site island: keeps "Updated N sec ago" ticking, copies the short URL, follows
// without a reload, and keeps the page live (story updates, new stories, the breaking
// banner) over server-sent events. The page reads fine without it; this only adds motion.
;(function () {
  var DAY = 86400000
  var dateFormat = new Intl.DateTimeFormat('en-GB', {
    day: '2-digit',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  })

  function relative(time, now) {
    var ms = Math.max(0, now - time)
    if (ms >= DAY) return dateFormat.format(new Date(time))
    var seconds = Math.floor(ms / 1000)
    if (seconds < 60) return seconds + ' sec ago'
    var minutes = Math.floor(seconds / 60)
    if (minutes < 60) return minutes + ' min ago'
    var hours = Math.floor(minutes / 60)
    return hours + (hours === 1 ? ' hour ago' : ' hours ago')
  }

  function tick() {
    var now = Date.now()
    var nodes = document.querySelectorAll('time[data-relative]')
    for (var i = 0; i < nodes.length; i++) {
      var time = Date.parse(nodes[i].getAttribute('datetime'))
      if (!isNaN(time)) {
        var label = relative(time, now)
        if (nodes[i].textContent !== label) nodes[i].textContent = label
      }
    }
  }

  // The Clipboard API exists only in secure contexts (https, localhost); a site served
  // over plain http copies through the selection instead.
  function copyBySelection(input) {
    input.focus()
    input.select()
    try {
      return document.execCommand('copy')
    } catch {
      return false
    }
  }

  function copy(input) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(input.value).then(
        function () {
          return true
        },
        function () {
          return copyBySelection(input)
        },
      )
    }
    return Promise.resolve(copyBySelection(input))
  }

  function setUpCopy(root) {
    var buttons = root.querySelectorAll('[data-copy]')
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false
      buttons[i].addEventListener('click', function (event) {
        var button = event.currentTarget
        var input = document.getElementById(button.getAttribute('data-copy'))
        if (!input) return
        copy(input).then(function (copied) {
          // When nothing could copy, the address stays selected for the reader to copy.
          if (!copied) return
          button.textContent = 'Copied'
          setTimeout(function () {
            button.textContent = 'Copy'
          }, 2000)
        })
      })
    }
  }

  // Every Follow button on the page for the same thing shows the same state.
  function showFollowing(key, following) {
    var forms = document.querySelectorAll('form[data-follow]')
    for (var i = 0; i < forms.length; i++) {
      if (forms[i].getAttribute('data-follow') !== key) continue
      forms[i].querySelector('input[name="action"]').value = following ? 'unfollow' : 'follow'
      forms[i].querySelector('button').setAttribute('aria-pressed', following ? 'true' : 'false')
      var state = forms[i].querySelector('.follow-state')
      if (state) state.textContent = following ? 'Following' : 'Follow'
    }
  }

  // A signed-in reader's page carries a CSRF token in each Follow form: post it in the
  // background. The shared page's forms have none and post normally, through sign-in.
  function setUpFollow(root) {
    var forms = root.querySelectorAll('form[data-follow]')
    for (var i = 0; i < forms.length; i++) {
      forms[i].addEventListener('submit', function (event) {
        var form = event.currentTarget
        if (!form.querySelector('input[name="_csrf"]') || !window.fetch) return
        event.preventDefault()
        var button = form.querySelector('button')
        if (button.getAttribute('aria-busy') === 'true') return
        button.setAttribute('aria-busy', 'true')
        window
          // getAttribute: form.action would be the input named "action", not the address.
          .fetch(form.getAttribute('action'), {
            method: 'POST',
            credentials: 'same-origin',
            headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
            body: new window.URLSearchParams(new window.FormData(form)).toString(),
          })
          .then(function (response) {
            return response.json().then(function (body) {
              if (response.status === 401 && body.signInUrl) return window.location.assign(body.signInUrl)
              if (!response.ok) throw new Error(body.message)
              showFollowing(form.getAttribute('data-follow'), body.following)
            })
          })
          .catch(function () {
            // Whatever went wrong, the plain form post still works and shows the answer.
            form.submit()
          })
          .then(function () {
            button.removeAttribute('aria-busy')
          })
      })
    }
  }

  var timeFormat = new Intl.DateTimeFormat('en-GB', {
    day: '2-digit',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'UTC',
    timeZoneName: 'short',
  })

  // Said once to screen readers through the page's polite live region.
  function announce(text) {
    var region = document.querySelector('[data-live-status]')
    if (!region) return
    region.textContent = ''
    setTimeout(function () {
      region.textContent = text
    }, 50)
  }

  function element(tag, className, text) {
    var node = document.createElement(tag)
    if (className) node.className = className
    if (text !== undefined) node.textContent = text
    return node
  }

  // A short highlight on what changed; the stylesheet drops the motion for reduced-motion readers.
  function cue(node) {
    node.classList.remove('live-changed')
    void node.offsetWidth
    node.classList.add('live-changed')
    setTimeout(function () {
      node.classList.remove('live-changed')
    }, 2500)
  }

  var DISMISSED_KEY = 'dateline:dismissed-breaking'

  function readSession(key) {
    try {
      return window.sessionStorage.getItem(key)
    } catch {
      return null
    }
  }

  function writeSession(key, value) {
    try {
      window.sessionStorage.setItem(key, value)
    } catch {
      // Storage refused: the guard simply does not hold across this reload.
    }
  }

  function dismissedIds() {
    try {
      var ids = JSON.parse(window.localStorage.getItem(DISMISSED_KEY) || '[]')
      return Array.isArray(ids) ? ids.map(String) : []
    } catch {
      return []
    }
  }

  function dismiss(id) {
    var ids = dismissedIds().filter(function (known) {
      return known !== id
    })
    ids.push(id)
    try {
      window.localStorage.setItem(DISMISSED_KEY, JSON.stringify(ids.slice(-50)))
    } catch {
      // Storage may be full or refused: the story is still hidden on this page.
    }
  }

  // Hides dismissed stories, offers the dismiss buttons, and hides the banner when nothing is left.
  function setUpBanner() {
    var banner = document.querySelector('[data-breaking-banner]')
    if (!banner) return
    var dismissed = dismissedIds()
    var items = banner.querySelectorAll('li[data-story-id]')
    for (var i = 0; i < items.length; i++) {
      if (dismissed.indexOf(items[i].getAttribute('data-story-id')) >= 0) items[i].remove()
    }
    var buttons = banner.querySelectorAll('[data-dismiss]')
    for (var j = 0; j < buttons.length; j++) buttons[j].hidden = false
    banner.hidden = banner.querySelectorAll('li').length === 0
    banner.addEventListener('click', function (event) {
      var button = event.target.closest('[data-dismiss]')
      if (!button) return
      dismiss(button.getAttribute('data-dismiss'))
      button.closest('li').remove()
      banner.hidden = banner.querySelectorAll('li').length === 0
    })
  }

  function showBreaking(stories) {
    var banner = document.querySelector('[data-breaking-banner]')
    if (!banner) return
    var list = banner.querySelector('ul')
    var dismissed = dismissedIds()
    var shown = {}
    var old = list.querySelectorAll('li[data-story-id]')
    for (var i = 0; i < old.length; i++) shown[old[i].getAttribute('data-story-id')] = true
    var items = []
    var fresh = []
    for (var j = 0; j < stories.length; j++) {
      var story = stories[j]
      var id = String(story.id)
      if (dismissed.indexOf(id) >= 0) continue
      if (!shown[id]) fresh.push(story.headline)
      var item = element('li')
      item.setAttribute('data-story-id', id)
      item.appendChild(element('strong', 'breaking-label', 'Breaking'))
      var link = element('a', '', story.headline)
      link.setAttribute('href', story.path)
      item.appendChild(link)
      var button = element('button', 'dismiss', '×')
      button.type = 'button'
      button.setAttribute('data-dismiss', id)
      button.setAttribute('aria-label', 'Dismiss')
      item.appendChild(button)
      items.push(item)
    }
    list.replaceChildren.apply(list, items)
    banner.hidden = items.length === 0
    if (fresh.length > 0) {
      cue(banner)
      announce('Breaking news: ' + fresh.join('; '))
    }
  }

  function setText(node, text) {
    if (node && node.textContent !== text) node.textContent = text
  }

  function showKeyPoints(article, points) {
    var list = article.querySelector('.keypoints')
    if (points.length === 0) {
      if (list) list.remove()
      return
    }
    if (!list) {
      list = element('ul', 'keypoints')
      list.setAttribute('aria-label', 'Key points')
      article.querySelector('h1').after(list)
    }
    list.replaceChildren.apply(
      list,
      points.map(function (point) {
        return element('li', '', point)
      }),
    )
  }

  function showDateline(article, dateline) {
    var line = article.querySelector('.dateline')
    if (!dateline) {
      if (line) line.remove()
      return
    }
    if (!line) {
      line = element('p', 'dateline')
      article.querySelector('.body').before(line)
    }
    setText(line, dateline)
  }

  function showBreakingLabel(article, breaking) {
    var kicker = article.querySelector('.kicker')
    var label = kicker && kicker.querySelector('.breaking-label')
    if (breaking && kicker && !label) kicker.prepend(element('strong', 'breaking-label', 'Breaking'))
    if (!breaking && label) label.remove()
  }

  function showUnpublished(article) {
    if (article.querySelector('.live-notice')) return
    var notice = element('p', 'live-notice', 'This story has been unpublished and is no longer available.')
    notice.setAttribute('role', 'status')
    article.prepend(notice)
  }

  // Redraws the story from the server's copy; the body is the stored, sanitized HTML.
  function showArticle(update) {
    var article = document.querySelector('article.article')
    if (!article) return
    if (update.status !== 'published') {
      showUnpublished(article)
      return
    }
    var notice = article.querySelector('.live-notice')
    if (notice) notice.remove()
    var heading = article.querySelector('h1')
    if (heading.textContent !== update.headline) {
      document.title = document.title.replace(heading.textContent, update.headline)
      heading.textContent = update.headline
    }
    showKeyPoints(article, update.keyPoints)
    var body = article.querySelector('.body')
    if (body && body.innerHTML !== update.bodyHtml) body.innerHTML = update.bodyHtml
    showDateline(article, update.dateline)
    showBreakingLabel(article, update.breaking)
    var time = article.querySelector('.updated time')
    if (time) {
      time.setAttribute('datetime', update.updatedAt)
      time.setAttribute('title', timeFormat.format(new Date(update.updatedAt)))
    }
    if (update.path && update.path !== window.location.pathname)
      window.history.replaceState(null, '', update.path + window.location.hash)
    tick()
    cue(article)
    announce('This story has been updated.')
  }

  var newStories = []

  function showNewStory(story) {
    var bar = document.querySelector('[data-new-stories]')
    var main = document.getElementById('main')
    if (!bar || !main || newStories.indexOf(story.id) >= 0) return
    // The page may have been rendered after the story went up.
    if (main.querySelector('a[href="' + story.path.replace(/"/g, '') + '"]:not([data-new-stories] a)')) return
    newStories.push(story.id)
    var label = newStories.length === 1 ? '1 new story' : newStories.length + ' new stories'
    setText(bar.querySelector('a'), 'Show ' + label)
    if (bar.hidden) {
      bar.hidden = false
      cue(bar)
    }
    announce(label)
  }

  // Loads the list again and swaps it in; when that fails, the link simply navigates.
  function loadNewStories(event) {
    var link = event.target.closest('[data-new-stories] a')
    if (!link || !window.fetch || !window.DOMParser) return
    event.preventDefault()
    window
      .fetch(window.location.pathname + window.location.search, {
        credentials: 'same-origin',
        headers: { accept: 'text/html' },
      })
      .then(function (response) {
        if (!response.ok) throw new Error('status ' + response.status)
        return response.text()
      })
      .then(function (html) {
        var fresh = new window.DOMParser().parseFromString(html, 'text/html').getElementById('main')
        if (!fresh) throw new Error('no list in the page')
        var main = document.importNode(fresh, true)
        main.setAttribute('tabindex', '-1')
        document.getElementById('main').replaceWith(main)
        newStories = []
        setUpCopy(main)
        setUpFollow(main)
        tick()
        main.focus()
        announce('New stories loaded.')
      })
      .catch(function () {
        window.location.assign(link.getAttribute('href'))
      })
  }

  // One stream per page: the banner always, plus this page's story or list.
  function setUpLive() {
    var body = document.body
    if (!window.EventSource) return
    var query = []
    var article = body.getAttribute('data-live-article')
    var list = body.getAttribute('data-live-list')
    if (article) query.push('article=' + encodeURIComponent(article))
    if (list) query.push('list=' + encodeURIComponent(list))
    var lastId = body.getAttribute('data-live-since')
    document.addEventListener('click', loadNewStories)

    function listen(stream, name, handle) {
      stream.addEventListener(name, function (event) {
        if (event.lastEventId) lastId = event.lastEventId
        var data
        try {
          data = JSON.parse(event.data)
        } catch {
          return
        }
        handle(data)
      })
    }

    var source = null
    var retry = null

    function connect() {
      retry = null
      if (source || document.hidden) return
      var params = query.slice()
      if (lastId) params.push('since=' + encodeURIComponent(lastId))
      var stream = new window.EventSource('/live' + (params.length ? '?' + params.join('&') : ''))
      source = stream
      listen(stream, 'article', showArticle)
      listen(stream, 'story', showNewStory)
      listen(stream, 'breaking', function (data) {
        showBreaking(data.stories)
      })
      listen(stream, 'reload', function () {
        // Too much happened while this page was away to replay: start again from the server,
        // but once a minute at most, so a page that comes back as far behind cannot loop.
        disconnect()
        var key = 'dateline:live-reloaded'
        var last = Number(readSession(key) || 0)
        if (Date.now() - last < 60000) return
        writeSession(key, String(Date.now()))
        window.location.reload()
      })
      stream.addEventListener('error', function () {
        // The browser retries a dropped stream by itself (sending Last-Event-ID); a refused
        // one (the server full or restarting) is closed for good, so try again later.
        if (stream.readyState !== window.EventSource.CLOSED || source !== stream) return
        source = null
        retry = setTimeout(connect, 15000 + Math.random() * 15000)
      })
    }

    function disconnect() {
      if (source) source.close()
      source = null
    }

    // A hidden tab lets go of its stream (browsers allow only a few connections per site over
    // HTTP/1.1) and catches up from the last event it saw when it is shown again.
    document.addEventListener('visibilitychange', function () {
      if (document.hidden) disconnect()
      else if (!retry) connect()
    })
    // After the page's own images and scripts, so the stream never holds up the page.
    if (document.readyState === 'complete') connect()
    else window.addEventListener('load', connect)
  }

  tick()
  setUpCopy(document)
  setUpFollow(document)
  setUpBanner()
  setUpLive()
  setInterval(tick, 1000)
})()

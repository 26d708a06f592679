// Reader-site island: keeps "Updated N sec ago" ticking, copies the short URL and
// follows without a reload. The page reads fine without it; this only adds motion.
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

  function setUpCopy() {
    var buttons = document.querySelectorAll('[data-copy]')
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
  function setUpFollow() {
    var forms = document.querySelectorAll('form[data-follow]')
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

  tick()
  setUpCopy()
  setUpFollow()
  setInterval(tick, 1000)
})()

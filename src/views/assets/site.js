// Reader-site island: keeps "Updated N sec ago" ticking and copies the short URL.
// The page reads fine without it; this only adds motion.
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

  tick()
  setUpCopy()
  setInterval(tick, 1000)
})()

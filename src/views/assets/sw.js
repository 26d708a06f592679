// The reader site's service worker. It does one thing: show Web Push notifications
// about new stories, and open the story when one is clicked. It has no fetch handler,
// so it never sits between the reader and a page, and caches nothing.
/* global self, clients */
;(function () {
  function sameSitePath(value) {
    // Only a path on this site: never another origin, even if a payload said so.
    return (
      typeof value === 'string' &&
      value.charAt(0) === '/' &&
      value.charAt(1) !== '/' &&
      value.charAt(1) !== '\\'
    )
  }

  self.addEventListener('push', function (event) {
    var data
    try {
      data = (event.data && event.data.json()) || {}
    } catch {
      data = {}
    }
    var title = typeof data.title === 'string' ? data.title : 'New story'
    var options = {
      body: typeof data.body === 'string' ? data.body : '',
      tag: typeof data.tag === 'string' ? data.tag : undefined,
      icon: '/assets/logo.png',
      data: { url: sameSitePath(data.url) ? data.url : '/' },
    }
    event.waitUntil(self.registration.showNotification(title, options))
  })

  self.addEventListener('notificationclick', function (event) {
    event.notification.close()
    var path =
      event.notification.data && sameSitePath(event.notification.data.url) ? event.notification.data.url : '/'
    var url = new URL(path, self.location.origin).href
    event.waitUntil(
      clients.matchAll({ type: 'window', includeUncontrolled: true }).then(function (windows) {
        for (var i = 0; i < windows.length; i++) {
          if (windows[i].url === url && 'focus' in windows[i]) return windows[i].focus()
        }
        return clients.openWindow(url)
      }),
    )
  })
})()

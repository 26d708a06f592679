// Account page island: the Web Push switch. The page says push needs a browser that
// supports it; only where this browser does (service workers, the Push API and
// notifications) does this script show the button. It registers /sw.js, subscribes
// with the site's VAPID key and tells the server, or the reverse to turn push off.
/* global fetch, Notification */
;(function () {
  var control = document.querySelector('[data-push-key]')
  if (!control) return
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) return

  var button = control.querySelector('button')
  var status = control.querySelector('[role="status"]')
  var fallback = document.querySelector('[data-push-fallback]')
  var registration

  function keyBytes(base64url) {
    var base64 = base64url.replace(/-/g, '+').replace(/_/g, '/')
    var binary = window.atob(base64 + '==='.slice((base64.length + 3) % 4))
    var bytes = new Uint8Array(binary.length)
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
    return bytes
  }

  function post(url, body) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'x-csrf-token': control.getAttribute('data-csrf'),
      },
      body: JSON.stringify(body),
    }).then(function (response) {
      if (!response.ok) throw new Error('the server answered ' + response.status)
    })
  }

  function show(subscribed, message) {
    button.disabled = false
    button.setAttribute('aria-pressed', subscribed ? 'true' : 'false')
    button.textContent = subscribed
      ? 'Turn off push notifications in this browser'
      : 'Turn on push notifications in this browser'
    if (message !== undefined) status.textContent = message
  }

  function subscribe() {
    return Notification.requestPermission().then(function (permission) {
      if (permission !== 'granted') {
        show(false, 'This browser blocks notifications from this site; allow them in its settings first.')
        return
      }
      return registration.pushManager
        .subscribe({
          userVisibleOnly: true,
          applicationServerKey: keyBytes(control.getAttribute('data-push-key')),
        })
        .then(function (subscription) {
          return post('/account/push/subscriptions', subscription.toJSON())
        })
        .then(function () {
          show(true, 'Push notifications are on in this browser.')
        })
    })
  }

  function unsubscribe() {
    return registration.pushManager.getSubscription().then(function (subscription) {
      if (!subscription) return show(false, 'Push notifications are off in this browser.')
      return post('/account/push/unsubscribe', { endpoint: subscription.endpoint })
        .then(function () {
          return subscription.unsubscribe()
        })
        .then(function () {
          show(false, 'Push notifications are off in this browser.')
        })
    })
  }

  control.hidden = false
  if (fallback) fallback.hidden = true
  button.disabled = true
  navigator.serviceWorker
    .register('/sw.js', { scope: '/' })
    .then(function (reg) {
      registration = reg
      return reg.pushManager.getSubscription()
    })
    .then(function (subscription) {
      show(Boolean(subscription))
    })
    .catch(function () {
      button.disabled = true
      status.textContent = 'Push notifications are not available in this browser.'
    })

  button.addEventListener('click', function () {
    var on = button.getAttribute('aria-pressed') === 'true'
    button.disabled = true
    status.textContent = on ? 'Turning push notifications off…' : 'Turning push notifications on…'
    ;(on ? unsubscribe() : subscribe()).catch(function () {
      show(on, 'That did not work. Please try again.')
    })
  })
})()

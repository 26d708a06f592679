import { render } from 'preact'
import { Api } from './api.js'
import { App } from './app.js'
import './newsroom.css'

const root = document.getElementById('app')
if (root) render(<App api={new Api()} />, root)

// Copies what tsc does not emit next to the compiled files: node and credential icons (n8n
// resolves `file:` icons relative to the compiled file) and each node's codex file
// (`<Node>.node.json`: categories and search aliases for the editor's node panel).
const path = require('path');
const { task, src, dest, parallel } = require('gulp');

function copyIcons() {
	return src(path.resolve('icons', '*.{png,svg}'), { encoding: false }).pipe(dest(path.resolve('dist', 'icons')));
}

function copyCodex() {
	return src('nodes/**/*.node.json', { base: '.' }).pipe(dest(path.resolve('dist')));
}

task('build:icons', parallel(copyIcons, copyCodex));

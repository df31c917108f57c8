// Copies node and credential icons next to the compiled files, where n8n looks for `file:` icons.
const path = require('path');
const { task, src, dest } = require('gulp');

task('build:icons', copyIcons);

function copyIcons() {
	const nodeIcons = src(path.resolve('icons', '*.{png,svg}'), { encoding: false });
	const nodeOut = nodeIcons.pipe(dest(path.resolve('dist', 'icons')));
	return nodeOut;
}

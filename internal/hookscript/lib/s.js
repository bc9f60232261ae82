// s: the string helpers that Rocket.Chat's integration sandbox offers as
// the global `s` (its lib/utils/stringUtils module, which replaced the
// underscore.string package). Written for Liftoff to behave as that module
// does; README.md beside this file lists the differences.
//
// It sets a property of the global object rather than declaring a
// variable, so a script may still declare its own `s` at its top level.
(function (root) {
	'use strict';

	// str is how every helper reads its text argument: any falsy value
	// (undefined, null, 0, '') is the empty string.
	function str(v) {
		return v ? String(v) : '';
	}

	// quote makes v safe inside a regular expression, including inside a
	// character class.
	function quote(v) {
		return str(v).replace(/[-.*+?^=!:${}()|[\]\/\\]/g, '\\$&');
	}

	// charClass is the pattern of one character to trim: whitespace when
	// none are given, a regular expression's own pattern, or any one of
	// the characters of a string.
	function charClass(chars) {
		if (!chars) {
			return '\\s';
		}
		if (typeof chars === 'object' && 'source' in chars) {
			return chars.source;
		}
		return '[' + quote(chars) + ']';
	}

	function trim(text, chars) {
		if (!chars) {
			return str(text).trim();
		}
		var c = charClass(chars);
		return str(text).replace(new RegExp('^' + c + '+|' + c + '+$', 'g'), '');
	}

	function ltrim(text, chars) {
		if (!chars) {
			return str(text).trimStart();
		}
		return str(text).replace(new RegExp('^' + charClass(chars) + '+'), '');
	}

	function rtrim(text, chars) {
		if (!chars) {
			return str(text).trimEnd();
		}
		return str(text).replace(new RegExp(charClass(chars) + '+$'), '');
	}

	// truncate keeps text when it fits in length characters, and otherwise
	// cuts it so that, with the three dots added, it does. Unlike the
	// other helpers it does not convert its argument.
	function truncate(text, length) {
		if (!(text.length > length)) {
			return text;
		}
		return text.slice(0, length - 3) + '...';
	}

	function capitalize(text, lowercaseRest) {
		var t = str(text);
		var rest = t.slice(1);
		return t.charAt(0).toUpperCase() + (lowercaseRest ? rest.toLowerCase() : rest);
	}

	// stripTags removes anything that looks like an HTML tag. (Rocket.Chat
	// runs DOMPurify first, which on its server has no DOM to work with.)
	function stripTags(text) {
		return str(text).replace(/<\/?[^>]+>/g, '');
	}

	// strLeft, strRight and strRightBack split text at the first (or, for
	// strRightBack, the last) sep, and return the whole text when sep is
	// empty or absent.
	function strLeft(text, sep) {
		var t = str(text);
		var d = str(sep);
		var i = d ? t.indexOf(d) : -1;
		return i === -1 ? t : t.slice(0, i);
	}

	function strRight(text, sep) {
		var t = str(text);
		var d = str(sep);
		var i = d ? t.indexOf(d) : -1;
		return i === -1 ? t : t.slice(i + d.length);
	}

	function strRightBack(text, sep) {
		var t = str(text);
		var d = str(sep);
		var i = d ? t.lastIndexOf(d) : -1;
		return i === -1 ? t : t.slice(i + d.length);
	}

	// numberFormat writes n with decimals digits after decimalSep ('.')
	// and its thousands grouped by thousandsSep (',').
	function numberFormat(n, decimals, decimalSep, thousandsSep) {
		if (n === null || n === undefined || isNaN(n)) {
			return '';
		}
		var parts = n.toFixed(~~decimals).split('.');
		var group = typeof thousandsSep === 'string' ? thousandsSep : ',';
		// A replacement string, not a function, so that "$" in the
		// separator means what it means to String.prototype.replace.
		var whole = parts[0].replace(/(\d)(?=(?:\d{3})+$)/g, '$1' + group);
		return parts[1] ? whole + (decimalSep || '.') + parts[1] : whole;
	}

	// pad fills text up to length characters with the first character of
	// padStr (a space by default), on the right unless type is 'left' or
	// 'both'. A text longer than length makes String.prototype.repeat
	// throw a RangeError, as it does in Rocket.Chat.
	function pad(text, length, padStr, type) {
		var t = str(text);
		var fill = !padStr ? ' ' : padStr.length > 1 ? padStr.charAt(0) : padStr;
		var missing = ~~length - t.length;
		switch (type === undefined ? 'right' : type) {
			case 'right':
				return t + fill.repeat(missing);
			case 'both':
				return fill.repeat(Math.ceil(missing / 2)) + t + fill.repeat(Math.floor(missing / 2));
			default:
				return fill.repeat(missing) + t;
		}
	}

	function lrpad(text, length, padStr) {
		return pad(text, length, padStr, 'both');
	}

	// wildcardToRegex turns a file pattern, where * is any run of
	// characters and ? any one character, into an anchored regular
	// expression's source.
	function wildcardToRegex(pattern) {
		return '^' + quote(pattern).replace(/\\\*/g, '.*').replace(/\\\?/g, '.') + '$';
	}

	root.s = {
		truncate: truncate,
		trim: trim,
		ltrim: ltrim,
		rtrim: rtrim,
		capitalize: capitalize,
		stripTags: stripTags,
		strLeft: strLeft,
		strRight: strRight,
		strRightBack: strRightBack,
		numberFormat: numberFormat,
		pad: pad,
		lrpad: lrpad,
		wildcardToRegex: wildcardToRegex,
	};
})(this);

/* clustergraph labels: where the names of a drawing's nodes go, so that no name overlaps
 * another name or a node, and none is cut at the edge of the canvas.
 *
 * Every node's place is taken first. Then, in the order given (the caller puts the
 * important nodes first: the entity in focus, organisations and people, the most
 * central), each name tries eight places around its node (below, above, right, left,
 * then the four corners), first whole (up to 40 characters), then shortened (up to 18);
 * the first free place wins. A name with no free place waits: it is shown on hover, in
 * the node's tooltip and details, and when zooming in makes room. Boxes are in the
 * canvas element's pixels (CSS pixels, origin at its top left corner). */
var cgLabels = (function () {
  "use strict";
  var CELL = 64, PAD = 2, GAP = 3;
  var FONT = "system-ui, sans-serif";
  var measure = null, widths = new Map();

  /* Width of ``text`` at 1 px font size. */
  function textWidth(text) {
    var w = widths.get(text);
    if (w === undefined) {
      if (measure === null) measure = document.createElement("canvas").getContext("2d");
      measure.font = "100px " + FONT;
      w = measure.measureText(text).width / 100;
      widths.set(text, w);
    }
    return w;
  }

  function shorten(text, n) { return text.length > n ? text.slice(0, n - 1).trim() + "\u2026" : text; }

  function overlaps(a, b) { return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]; }

  /* A board of width W and height H on which boxes are placed without overlapping. */
  function Board(W, H) {
    this.W = W; this.H = H; this.grid = new Map(); this.boxes = [];
  }
  Board.prototype.cells = function (b, fn) {
    for (var gx = Math.floor(b[0] / CELL); gx <= Math.floor(b[2] / CELL); gx += 1) {
      for (var gy = Math.floor(b[1] / CELL); gy <= Math.floor(b[3] / CELL); gy += 1) {
        if (fn(gx + ":" + gy) === false) return false;
      }
    }
    return true;
  };
  /* Take ``b`` whether or not it is free (a node's place). */
  Board.prototype.take = function (b) {
    var id = this.boxes.length, grid = this.grid;
    this.boxes.push(b);
    this.cells(b, function (key) { var list = grid.get(key); if (list) list.push(id); else grid.set(key, [id]); });
  };
  Board.prototype.free = function (b) {
    if (b[0] < 0 || b[1] < 0 || b[2] > this.W || b[3] > this.H) return false;
    var grid = this.grid, boxes = this.boxes;
    return this.cells(b, function (key) {
      var list = grid.get(key);
      if (!list) return true;
      for (var k = 0; k < list.length; k += 1) if (overlaps(boxes[list[k]], b)) return false;
      return true;
    });
  };
  /* Take ``b`` if it is free; say whether it was. */
  Board.prototype.tryTake = function (b) {
    if (!this.free(b)) return false;
    this.take(b);
    return true;
  };
  /* Place the name of a node at (x, y) whose shape reaches ``r`` pixels from its centre,
   * in a font ``px`` pixels high. Returns {text, x, y, box} (x, y: the centre of the
   * text) or null when no place is free. */
  Board.prototype.placeName = function (x, y, r, name, px) {
    var texts = [shorten(name, 40)];
    if (name.length > 18) texts.push(shorten(name, 18));
    var h = px * 1.25, d = r + GAP, c = (r + GAP) * 0.72;
    for (var t = 0; t < texts.length; t += 1) {
      var w = textWidth(texts[t]) * px;
      var centres = [
        [x, y + d + h / 2], [x, y - d - h / 2], [x + d + w / 2, y], [x - d - w / 2, y],
        [x + c + w / 2, y + c + h / 2], [x - c - w / 2, y + c + h / 2],
        [x + c + w / 2, y - c - h / 2], [x - c - w / 2, y - c - h / 2]
      ];
      for (var k = 0; k < centres.length; k += 1) {
        var cx = centres[k][0], cy = centres[k][1];
        var box = [cx - w / 2 - PAD, cy - h / 2 - PAD, cx + w / 2 + PAD, cy + h / 2 + PAD];
        if (this.tryTake(box)) return { text: texts[t], x: cx, y: cy, box: box };
      }
    }
    return null;
  };

  /* Draw a name centred on (x, y) in the context's current units, ``size`` high. */
  function drawName(ctx, text, x, y, size, boxed) {
    ctx.save();
    ctx.font = size + "px " + FONT;
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    if (boxed) {
      var w = textWidth(text) * size;
      ctx.fillStyle = "rgba(255,255,240,0.95)";
      ctx.strokeStyle = "#8d8d80";
      ctx.lineWidth = size / 12;
      ctx.fillRect(x - w / 2 - size / 4, y - size * 0.7, w + size / 2, size * 1.4);
      ctx.strokeRect(x - w / 2 - size / 4, y - size * 0.7, w + size / 2, size * 1.4);
    } else {
      ctx.lineWidth = size / 4;
      ctx.lineJoin = "round";
      ctx.strokeStyle = "#ffffff";
      ctx.strokeText(text, x, y);
    }
    ctx.fillStyle = "#1d2430";
    ctx.fillText(text, x, y);
    ctx.restore();
  }

  return {
    Board: Board, textWidth: textWidth, shorten: shorten, overlaps: overlaps, drawName: drawName,
    /* How far a vis-network shape of size s reaches from its centre (a triangle's tip
     * reaches 1.15 s), with its border. */
    reach: function (size, border) { return size * 1.16 + (border || 1); }
  };
}());

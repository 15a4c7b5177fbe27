--[[
attention-viz: token scores drawn as coloured text, in Quarto and Pandoc documents.

A code block of the class attention-viz (Quarto's ```{attention-viz}, or ```attention-viz)
holds a figure in the MkDocs block's syntax of sphinxcontrib-attnviz: `key: value` option
lines (or Quarto's `#| key: value` cell options), then a blank line and inline
`token score` lines. The filter hands the block to the package's command line
(`attention-viz --block`), run in the document's folder so paths are relative to the
document, and puts in the block's place:

  - HTML formats: the HTML fragment (`--fragment`), and the package's stylesheet once
    per document (`--stylesheet`);
  - LaTeX / PDF: the LaTeX fragment (`--format latex --fragment`) for the document's
    PDF engine, and xcolor in the preamble;
  - any other format: the text output (`--format text`) as a code block.

A block that cannot be drawn is a warning naming the document and line, and a visible
note in the figure's place; the rest of the document renders.

The command: the metadata key `attention-viz` (`attention-viz: {command: ...}`), else
the environment variable ATTENTION_VIZ_COMMAND, else `attention-viz` on PATH, else
`$QUARTO_PYTHON -m sphinxcontrib_attnviz`. The filter works with or without Quarto
(plain `pandoc --lua-filter attention-viz.lua`); Quarto's `quarto` module is used only
when it is there.

Part of sphinxcontrib-attnviz: https://pypi.org/project/sphinxcontrib-attnviz/
]]

local PROGRAM = "attention-viz"
local CLASSES = { ["attention-viz"] = true, ["{attention-viz}"] = true }
local ENGINES = { pdflatex = "pdflatex", xelatex = "xelatex", lualatex = "lualatex", tectonic = "xelatex",
  latexmk = "pdflatex" }
local HTML_FORMATS = { html = true, html4 = true, html5 = true, revealjs = true, slidy = true, slideous = true,
  s5 = true, dzslides = true, epub = true, epub2 = true, epub3 = true, chunkedhtml = true }
local LATEX_FORMATS = { latex = true, beamer = true }
local WINDOWS = package.config:sub(1, 1) == "\\"

-- Quarto's Lua API, when the filter runs under Quarto; nil under plain pandoc.
local Q = (type(quarto) == "table" and type(quarto.doc) == "table") and quarto or nil

local settings = {
  command = nil,       -- the command line prefix that runs attention-viz
  engine = "pdflatex", -- the LaTeX engine the fragments are for
  document = "<stdin>", -- the document's name in messages
  folder = nil,        -- the document's folder: the command runs there
  fences = nil,        -- the document's attention-viz fences, read from its source
  seen = {},           -- blocks met so far, by body: which of the same body comes next
  stylesheet = nil,    -- the CSS, once read
  css_placed = false,  -- whether the stylesheet is in the document already
  latex_used = false,  -- whether a LaTeX fragment was written
}

-- Messages -------------------------------------------------------------------

local function warn(message)
  if Q and Q.log and Q.log.warning then
    Q.log.warning(PROGRAM .. ": " .. message)
  else
    io.stderr:write("[WARNING] " .. PROGRAM .. ": " .. message .. "\n")
  end
end

local function error_note(message)
  local attributes = Q and { title = PROGRAM } or {}
  local classes = Q and { "callout-warning", "attnviz-error" } or { "attnviz-error" }
  return pandoc.Div({
    pandoc.Para({ pandoc.Strong({ pandoc.Str(PROGRAM) }) }),
    pandoc.Para({ pandoc.Str("This visualisation could not be drawn:"), pandoc.Space(), pandoc.Code(message) }),
  }, pandoc.Attr("", classes, attributes))
end

-- Files and commands -----------------------------------------------------------

local function read_file(path)
  local file = io.open(path, "rb")
  if not file then return nil end
  local text = file:read("a")
  file:close()
  return text
end

local function write_file(path, text)
  local file = assert(io.open(path, "wb"))
  file:write(text)
  file:close()
end

local function quote(argument)
  if WINDOWS then
    return '"' .. argument:gsub('"', '""') .. '"'
  end
  return "'" .. argument:gsub("'", "'\\''") .. "'"
end

local function on_path(name)
  local separator = WINDOWS and ";" or ":"
  local suffixes = WINDOWS and { ".exe", ".cmd", ".bat", "" } or { "" }
  for folder in (os.getenv("PATH") or ""):gmatch("[^" .. separator .. "]+") do
    for _, suffix in ipairs(suffixes) do
      local file = io.open(pandoc.path.join({ folder, name .. suffix }), "rb")
      if file then
        file:close()
        return true
      end
    end
  end
  return false
end

--- Runs the command with `arguments` (quoted here) in the document's folder; returns
--- its exit status, its output (written to a file) and its standard error.
local function run(arguments, input)
  return pandoc.system.with_temporary_directory("attnviz", function(temporary)
    local output = pandoc.path.join({ temporary, "output" })
    local errors = pandoc.path.join({ temporary, "errors" })
    local parts = { settings.command }
    for _, argument in ipairs(arguments) do parts[#parts + 1] = quote(argument) end
    if input then
      local block = pandoc.path.join({ temporary, "block" })
      write_file(block, input)
      parts[#parts + 1] = "--block " .. quote(block)
    end
    parts[#parts + 1] = "-o " .. quote(output) .. " 2>" .. quote(errors)
    local line = table.concat(parts, " ")
    if WINDOWS then line = '"' .. line .. '"' end -- cmd /c strips one pair of quotes
    local status
    pandoc.system.with_working_directory(settings.folder or ".", function()
      local ok, _, code = os.execute(line)
      status = ok and 0 or (code or 1)
    end)
    return status, read_file(output) or "", read_file(errors) or ""
  end)
end

--- The command's message lines without its "attention-viz: error: " prefix, and a hint
--- when the command itself was not found.
local function messages(stderr, status)
  local found = {}
  for line in stderr:gmatch("[^\r\n]+") do
    line = line:gsub("^" .. PROGRAM:gsub("%-", "%%-") .. ": error: ", "")
    found[#found + 1] = line
  end
  if status == 127 or status == 9009 or (#found == 0 and status ~= 0) then
    return { "could not run '" .. settings.command .. "' (exit status " .. status .. "): install the Python package "
      .. "sphinxcontrib-attnviz where this document is rendered, or name the command in the metadata key "
      .. "attention-viz.command or the environment variable ATTENTION_VIZ_COMMAND"
      .. (#found > 0 and (" (" .. table.concat(found, "; ") .. ")") or "") }
  end
  return found
end

-- Where each block is in the document's source --------------------------------------

local function squeezed(text)
  return (text:gsub("%s+", ""))
end

--- The document's attention-viz fences: the line of each opening fence and its body
--- as written (tabs kept, the fence's indentation taken off).
local function source_fences(text)
  local lines = {}
  for line in (text:gsub("\r\n?", "\n") .. "\n"):gmatch("([^\n]*)\n") do lines[#lines + 1] = line end
  local fences, index = {}, 1
  while index <= #lines do
    local indent, fence, info = lines[index]:match("^(%s*)(```+)(.*)$")
    if not fence then indent, fence, info = lines[index]:match("^(%s*)(~~~+)(.*)$") end
    if fence and not (fence:sub(1, 1) == "`" and info:find("`", 1, true)) then
      local body, closing = {}, index + 1
      while closing <= #lines do
        local closer = lines[closing]:match("^%s*([`~]+)%s*$")
        if closer and closer:sub(1, 1) == fence:sub(1, 1) and #closer >= #fence and not closer:find(
              fence:sub(1, 1) == "`" and "~" or "`", 1, true) then
          break
        end
        local line = lines[closing]
        local strip = 0
        while strip < #indent and line:sub(strip + 1, strip + 1) == " " do strip = strip + 1 end
        body[#body + 1] = line:sub(strip + 1)
        closing = closing + 1
      end
      local word = info:match("^%s*{?%s*%.?([%w_%-]+)")
      if word == PROGRAM then
        fences[#fences + 1] = { line = index, body = table.concat(body, "\n") }
      end
      index = closing + 1
    else
      index = index + 1
    end
  end
  return fences
end

--- The source fence of a block with `text`: the nth fence of the same body (whitespace
--- aside) for the nth such block; nil when the source cannot say.
local function locate(text)
  if not settings.fences then return nil end
  local key = squeezed(text)
  settings.seen[key] = (settings.seen[key] or 0) + 1
  local count = 0
  for _, fence in ipairs(settings.fences) do
    if squeezed(fence.body) == key then
      count = count + 1
      if count == settings.seen[key] then return fence end
    end
  end
  return nil
end

-- Set-up from the document's metadata -------------------------------------------

local function kind(value)
  if pandoc.utils.type then return pandoc.utils.type(value) end -- pandoc 2.17 and later
  return type(value) == "table" and (value.t or value.tag) or type(value)
end

local function meta_text(value)
  if value == nil then return nil end
  if type(value) == "string" or type(value) == "boolean" then return tostring(value) end
  return pandoc.utils.stringify(value)
end

--- The command a metadata value names: a string (a command line, used as written), or a
--- list of words (each quoted here, so a path may hold spaces).
local function meta_command(value)
  if value == nil then return nil end
  local what = kind(value)
  if what == "List" or what == "MetaList" then
    local words = {}
    for _, word in ipairs(value) do words[#words + 1] = quote(meta_text(word)) end
    return table.concat(words, " ")
  end
  return meta_text(value)
end

local function configure(meta)
  local own = meta[PROGRAM]
  local command, engine
  local what = own ~= nil and kind(own) or nil
  if what == "table" or what == "MetaMap" then -- attention-viz: {command: ..., latex-engine: ...}
    command = meta_command(own.command)
    engine = meta_text(own["latex-engine"])
  else -- attention-viz: attention-viz-command
    command = meta_command(own)
  end
  command = command or os.getenv("ATTENTION_VIZ_COMMAND")
  if not command or command == "" then
    if on_path(PROGRAM) then
      command = PROGRAM
    elseif os.getenv("QUARTO_PYTHON") then
      command = quote(os.getenv("QUARTO_PYTHON")) .. " -m sphinxcontrib_attnviz"
    else
      command = PROGRAM
    end
  end
  settings.command = command

  engine = engine or meta_text(meta["pdf-engine"])
  if engine then
    engine = pandoc.path.filename(engine):gsub("%.exe$", "")
    settings.engine = ENGINES[engine] or "pdflatex"
  else
    -- Quarto's PDFs are made with a Unicode engine (lualatex, xelatex before); pandoc's with pdflatex
    settings.engine = Q and "lualatex" or "pdflatex"
  end

  local input = (Q and Q.doc.input_file) or (PANDOC_STATE.input_files or {})[1]
  if input and input ~= "-" then
    local cwd = pandoc.system.get_working_directory()
    -- Quarto gives the input's full path: shown relative to the folder Quarto runs in
    settings.document = (Q and pandoc.path.is_absolute(input)) and pandoc.path.make_relative(input, cwd) or input
    settings.folder = pandoc.path.directory(input)
    local source = read_file(input)
    if source then settings.fences = source_fences(source) end
  end
end

-- The stylesheet and the LaTeX preamble -------------------------------------------

local function style_block()
  if settings.css_placed then return nil end
  settings.css_placed = true
  local status, css, stderr = run({ "--stylesheet" })
  if status ~= 0 then
    warn(settings.document .. ": the stylesheet: " .. table.concat(messages(stderr, status), "; "))
    return nil
  end
  local element = "<style>\n" .. css .. "</style>"
  if Q and Q.doc.include_text then
    Q.doc.include_text("in-header", element)
    return nil
  end
  settings.stylesheet = element
  if PANDOC_WRITER_OPTIONS and PANDOC_WRITER_OPTIONS.template == nil then
    return pandoc.RawBlock("html", element) -- not standalone: no head, the style goes before the figure
  end
  return nil
end

local function add_header(meta, block)
  local includes = meta["header-includes"]
  local kind = includes ~= nil and pandoc.utils.type and pandoc.utils.type(includes)
      or (type(includes) == "table" and (includes.t or includes.tag))
  if includes == nil then
    meta["header-includes"] = pandoc.MetaList({ pandoc.MetaBlocks({ block }) })
  elseif kind == "List" or kind == "MetaList" then
    includes[#includes + 1] = pandoc.MetaBlocks({ block })
  else
    meta["header-includes"] = pandoc.MetaList({ includes, pandoc.MetaBlocks({ block }) })
  end
  return meta
end

-- The filter -----------------------------------------------------------------------

local function is_figure(block)
  for _, class in ipairs(block.classes) do
    if CLASSES[class] then return true end
  end
  return false
end

local function figure(block)
  if not is_figure(block) then return nil end
  local fence = locate(block.text)
  local body = fence and fence.body or block.text
  local where = settings.document .. (fence and (":" .. fence.line) or "")
  local arguments = { "--block-source", settings.document }
  if fence then
    arguments[#arguments + 1] = "--block-line"
    arguments[#arguments + 1] = tostring(fence.line)
  end
  local kind = HTML_FORMATS[FORMAT] and "html" or (LATEX_FORMATS[FORMAT] and "latex") or "text"
  if kind == "html" then
    arguments[#arguments + 1] = "--fragment"
  elseif kind == "latex" then
    for _, argument in ipairs({ "--format", "latex", "--latex-engine", settings.engine, "--fragment" }) do
      arguments[#arguments + 1] = argument
    end
  else
    arguments[#arguments + 1] = "--format"
    arguments[#arguments + 1] = "text"
  end
  local status, output, stderr = run(arguments, body .. "\n")
  local lines = messages(stderr, status)
  if status ~= 0 then
    local message = table.concat(lines, "; ")
    if not message:find(settings.document, 1, true) then message = where .. ": " .. message end
    warn(message)
    return error_note(message)
  end
  for _, line in ipairs(lines) do
    warn(where .. ": " .. line:gsub("^" .. PROGRAM:gsub("%-", "%%-") .. ": warning: ", ""))
  end
  if kind == "html" then
    local style = style_block()
    local raw = pandoc.RawBlock("html", output)
    return style and { style, raw } or raw
  elseif kind == "latex" then
    settings.latex_used = true
    return pandoc.RawBlock("latex", output)
  end
  return pandoc.CodeBlock(output, pandoc.Attr("", { "attnviz-text" }))
end

local function finish(meta)
  if settings.stylesheet then
    meta = add_header(meta, pandoc.RawBlock("html", settings.stylesheet))
  end
  if settings.latex_used then
    if Q and Q.doc.use_latex_package then
      Q.doc.use_latex_package("xcolor")
    else
      meta = add_header(meta, pandoc.RawBlock("latex", "\\usepackage{xcolor}"))
    end
  end
  return meta
end

return {
  { Meta = function(meta) configure(meta) end },
  { CodeBlock = figure },
  { Meta = finish },
}

#!/usr/bin/python3
"""Weights and outputs made by PyTorch 1.13 for the real model files of test/realcode/runner-files.json.

For each listed file (brought into .realcode/runner/ by `node test/realcode/bring.mjs --manifest
runner-files.json`), this script:
  1. loads the file's definitions without running its script code: imports, classes, functions and
     module-level assignments run; calls, loops and `if __name__ == '__main__'` blocks at module level
     do not. Modules of the same repository load the same way; a third-party package that is not
     installed is replaced by an empty stand-in (the model must not need it: a class that does fails
     to build and is reported);
  2. picks the model class: the manifest's `class`, else the class the repository's own code
     instantiates (in the file or its context files) and that no other class of the file holds, else
     the outermost class (one no other class of the file uses);
  3. builds it under torch.manual_seed(0) with the constructor arguments of the instantiation site
     when they are literals (`Model(len(vocab), 128)` gives the 128), the manifest's `init`, the
     parameter's default, and for what is left a size chosen from the parameter's name (recorded);
  4. saves its state_dict as model.pt (torch.save) and model.safetensors (written here: an 8-byte
     little-endian header length, the JSON header, the raw little-endian data);
  5. runs it in eval mode on fixed inputs (ids below the Embedding's size, or features of the first
     layer's width; batch 3, length 7, time-major when the first recurrent layer is not batch_first)
     and saves input.npy (batch-major), the inputs forward was given, and every output tensor
     (output_0.npy, output_1.npy, … in the order forward returns them, nested tuples flattened).
Everything goes into .realcode/runner-oracle/<owner>__<repo>/<path>/, with meta.json saying what was
chosen and why, or why PyTorch could not build or run the model.

Usage: /usr/bin/python3 test/realcode/runner_oracle.py [--only SUBSTRING] [--failed] (--failed: only files without a good run)
"""
import ast
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import signal
import struct
import subprocess
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))
BROUGHT = os.path.join(ROOT, '.realcode', 'runner')
OUT = os.path.join(ROOT, '.realcode', 'runner-oracle')
BATCH = 3
LENGTH = 7
# Packages a model cannot be built without here; a file that needs them is listed apart in the manifest.
UNINSTALLABLE = {'torchtext', 'transformers', 'allennlp', 'fairseq', 'pytorch_pretrained_bert', 'torch_geometric', 'dgl'}


def folder_of(repo):
    return repo.replace('/', '__')


# ---------------------------------------------------------------- loading definitions only

def keep_statement(node):
    """Module-level statements that define things; script code (calls, loops, main blocks) is dropped."""
    if isinstance(node, (ast.Import, ast.ImportFrom, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
        return True
    if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        return True
    if isinstance(node, ast.Try):
        return all(keep_statement(n) for n in node.body)
    if isinstance(node, ast.If):
        test = ast.unparse(node.test)
        return '__name__' not in test and all(keep_statement(n) for n in node.body + node.orelse)
    return False


class Stand(types.ModuleType):
    """An installed-nowhere package: every attribute is another stand-in, callable, usable as a base class."""

    def __init__(self, name):
        super().__init__(name)
        self.__path__ = []

    def __getattr__(self, attr):
        if attr.startswith('__'):
            raise AttributeError(attr)
        value = StandValue(f'{self.__name__}.{attr}')
        setattr(self, attr, value)
        return value


class StandValue:
    def __init__(self, name):
        self._name = name

    def __call__(self, *args, **kwargs):
        return StandValue(self._name + '()')

    def __getattr__(self, attr):
        if attr.startswith('__'):
            raise AttributeError(attr)
        return StandValue(f'{self._name}.{attr}')

    def __mro_entries__(self, bases):
        return (object,)


class DefinitionsLoader(importlib.abc.Loader):
    def __init__(self, path):
        self.path = path

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        exec_definitions(self.path, module.__dict__)


class RepositoryFinder(importlib.abc.MetaPathFinder):
    """Modules of the repository (found under its root or the model file's folder) load as definitions only;
    third-party packages that are not installed become stand-ins."""

    def __init__(self, roots):
        self.roots = roots
        self.stood = []

    def find_spec(self, name, path=None, target=None):
        parts = name.split('.')
        search = list(path) if path else self.roots
        for base in search:
            if not any(os.path.abspath(base).startswith(r) for r in self.roots):
                continue
            package = os.path.join(base, parts[-1])
            if os.path.isfile(os.path.join(package, '__init__.py')):
                return importlib.util.spec_from_file_location(name, os.path.join(package, '__init__.py'), loader=DefinitionsLoader(os.path.join(package, '__init__.py')), submodule_search_locations=[package])
            if os.path.isdir(package) and path is None:
                spec = importlib.machinery.ModuleSpec(name, None, is_package=True)
                spec.submodule_search_locations = [package]
                return spec
            if os.path.isfile(package + '.py'):
                return importlib.util.spec_from_file_location(name, package + '.py', loader=DefinitionsLoader(package + '.py'))
        if path is None:
            top = parts[0]
            if top in ('torch', 'numpy') or importlib.machinery.PathFinder.find_spec(top) is not None:
                return None
            self.stood.append(top)
            return importlib.util.spec_from_loader(name, StandLoader(), is_package=True)
        return None


class StandLoader(importlib.abc.Loader):
    def create_module(self, spec):
        return Stand(spec.name)

    def exec_module(self, module):
        pass


class Timeout(Exception):
    pass


def on_alarm(signum, frame):
    raise Timeout()


def exec_definitions(path, namespace):
    with open(path, encoding='utf-8', errors='replace') as f:
        tree = ast.parse(f.read(), path)
    namespace.setdefault('__file__', path)
    namespace.setdefault('__builtins__', __builtins__)
    for node in tree.body:
        if not keep_statement(node):
            continue
        code = compile(ast.Module(body=[node], type_ignores=[]), path, 'exec')
        signal.alarm(5)
        try:
            exec(code, namespace)
        except Timeout:
            pass
        except Exception as error:
            # A definition that needs data or a missing name: the model may not need it.
            if os.environ.get('SEQLENS_ORACLE_DEBUG'):
                print(f'{path}:{node.lineno}: {type(error).__name__}: {error}', file=sys.stderr)
        finally:
            signal.alarm(0)
    return tree


# ---------------------------------------------------------------- picking the class

def module_classes(tree, namespace, nn):
    out = []
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            value = namespace.get(node.name)
            if isinstance(value, type) and issubclass(value, nn.Module) and 'forward' in {n.name for n in node.body if isinstance(n, ast.FunctionDef)}:
                out.append(node)
    return out


def called_names(node):
    names = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Call):
            f = n.func
            if isinstance(f, ast.Name):
                names.add(f.id)
            elif isinstance(f, ast.Attribute):
                names.add(f.attr)
    return names


def instantiation_sites(trees, class_names, class_nodes):
    """Calls Model(...) outside the classes' own bodies, in the file and its context files."""
    inside = set()
    for c in class_nodes:
        for n in ast.walk(c):
            inside.add(id(n))
    sites = {}
    for tree, path in trees:
        for n in ast.walk(tree):
            if isinstance(n, ast.Call) and id(n) not in inside:
                f = n.func
                name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
                if name in class_names:
                    sites.setdefault(name, []).append((n, path, tree))
    return sites


def pick_class(tree, classes, sites, pinned):
    names = [c.name for c in classes]
    if pinned:
        return pinned, 'manifest'
    used_by_others = set()
    for c in classes:
        called = called_names(c)
        for other in names:
            if other != c.name and other in called:
                used_by_others.add(other)
    outermost = [n for n in names if n not in used_by_others]
    instantiated = [n for n in outermost if n in sites]
    if len(instantiated) == 1:
        return instantiated[0], 'instantiated'
    if len(instantiated) == 0 and len(outermost) == 1:
        return outermost[0], 'outermost'
    if len(outermost) > 1 and len(instantiated) > 1:
        return None, f'ambiguous: instantiated {instantiated}'
    return None, f'ambiguous: outermost {outermost}'


# ---------------------------------------------------------------- constructor arguments

def literal(node, constants):
    try:
        return True, ast.literal_eval(node)
    except Exception:
        pass
    if isinstance(node, ast.Name) and node.id in constants:
        return True, constants[node.id]
    return False, None


def module_constants(tree):
    out = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                out[node.targets[0].id] = ast.literal_eval(node.value)
            except Exception:
                pass
    return out


NO_VALUE = object()


def size_for(name):
    """A value for a parameter nobody gives, from its name: sizes small and unlike the batch (3) and the
    length (7), flags off. NO_VALUE when the name says nothing (the manifest must give it)."""
    n = name.lower()
    if n in ('args', 'opt', 'config', 'cfg', 'params', 'hparams', 'hp', 'conf', 'opts', 'option', 'options', 'hps', 'model_args', 'kwargs'):
        return AutoConfig(name)
    if 'device' in n:
        return 'cpu'
    if 'gpu' in n or 'cuda' in n or 'pretrain' in n or 'word_embedding' in n or n.startswith('use_') or n in ('static', 'init_weight', 'verbose', 'debug'):
        return False
    if 'max_norm' in n:
        return None
    if 'drop' in n:
        return 0.1
    if 'bidir' in n:
        return True
    if 'batch_first' in n:
        return True
    if 'kernel_sizes' in n or 'filter_sizes' in n or 'windows' in n:
        return [3, 4]
    if 'kernel_num' in n or 'filter_num' in n or 'num_filters' in n or n in ('filters', 'n_filters', 'kernel_count'):
        return 6
    if 'kernel' in n or 'window' in n:
        return 3
    if 'vocab' in n or 'ntoken' in n or 'n_token' in n or 'words' in n or 'n_chars' in n or 'char_size' in n or n in ('ntokens', 'alphabet_size', 'n_items', 'num_items', 'embed_num', 'v'):
        return 53
    if 'layer' in n:
        return 2
    if 'head' in n:
        return 2
    if 'pad' in n:
        return 0
    if 'max' in n or 'len' in n:
        return 40
    if n in ('d_model', 'd_word_vec', 'n_embd', 'emsize'):
        return 16
    if n in ('d_k', 'd_v', 'd_q'):
        return 8
    if n in ('d_ff', 'd_inner', 'dim_feedforward', 'd_hid'):
        return 32
    if 'emb' in n or 'ninp' in n:
        return 16
    if 'hid' in n or 'unit' in n or 'rnn_size' in n or 'state' in n or 'nhid' in n or ('dim' in n and 'in' not in n):
        return 20
    if 'class' in n or 'label' in n or 'out' in n or 'tag' in n or 'target' in n or 'categor' in n:
        return 5
    if 'input' in n or 'feature' in n or n.startswith('in_') or n.endswith('_in') or 'dim' in n or 'size' in n:
        return 12
    if n.startswith('n_') or n.startswith('num_'):
        return 4
    return NO_VALUE


class AutoConfig:
    """A config object (args, opt, config) whose fields are chosen from their names when read."""

    def __init__(self, name, given=None):
        object.__setattr__(self, '_name', name)
        object.__setattr__(self, '_given', dict(given or {}))
        object.__setattr__(self, '_read', {})

    def _value(self, key):
        if key in self._given:
            value = self._given[key]
        else:
            value = size_for(key)
            if value is NO_VALUE:
                raise AttributeError(f'{self._name}.{key}: no value for this field')
        self._read[key] = value if not isinstance(value, AutoConfig) else value.read()
        return value

    def __getattr__(self, key):
        if key.startswith('__'):
            raise AttributeError(key)
        return self._value(key)

    def __getitem__(self, key):
        return self._value(key)

    def get(self, key, default=None):
        try:
            return self._value(key)
        except AttributeError:
            return default

    def __contains__(self, key):
        return key in self._given or size_for(key) is not NO_VALUE

    def read(self):
        return dict(self._read)


def manifest_value(name, value):
    """`init` values: a dict given for a config parameter (args, opt, config) or marked {"@namespace": true}
    becomes a config object; "random:AxB" a float tensor of that shape (a pretrained embedding matrix)."""
    import torch
    if isinstance(value, dict) and (value.get('@namespace') or isinstance(size_for(name), AutoConfig)):
        return AutoConfig(name, {k: v for k, v in value.items() if k != '@namespace'})
    if isinstance(value, str) and value.startswith('random:'):
        shape = [int(d) for d in value[len('random:'):].split('x')]
        return torch.randn(*shape, generator=torch.Generator().manual_seed(2))
    return value


def constructor_arguments(cls, site, constants, init):
    import inspect
    signature = inspect.signature(cls.__init__)
    params = [p for p in list(signature.parameters.values())[1:] if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    from_site = {}
    if site is not None:
        call = site[0]
        for i, arg in enumerate(call.args):
            if i < len(params) and not isinstance(arg, ast.Starred):
                ok, value = literal(arg, constants)
                if ok:
                    from_site[params[i].name] = value
        for kw in call.keywords:
            if kw.arg is not None:
                ok, value = literal(kw.value, constants)
                if ok:
                    from_site[kw.arg] = value
    kwargs, chosen = {}, {}
    if any(p.kind == p.VAR_KEYWORD for p in signature.parameters.values()):
        named = {p.name for p in params}
        for key, value in init.items():
            if key not in named:
                kwargs[key], chosen[key] = manifest_value(key, value), 'manifest'
    for p in params:
        if p.name in init:
            kwargs[p.name], chosen[p.name] = manifest_value(p.name, init[p.name]), 'manifest'
        elif p.name in from_site:
            kwargs[p.name], chosen[p.name] = from_site[p.name], 'instantiation site'
        elif p.default is not p.empty:
            continue
        else:
            value = size_for(p.name)
            if value is NO_VALUE:
                raise RuntimeError(f'no value for constructor argument {p.name}: give it as init in the manifest')
            kwargs[p.name], chosen[p.name] = value, 'chosen from its name'
    return kwargs, chosen


# ---------------------------------------------------------------- inputs

def first_layers(model, nn):
    for m in model.modules():
        if isinstance(m, (nn.Embedding, nn.RNNBase, nn.RNNCellBase, nn.Linear, nn.Conv1d, nn.MultiheadAttention, nn.TransformerEncoderLayer)):
            yield m


def input_for(model, nn, torch, spec):
    g = torch.Generator().manual_seed(1)
    kind = spec.get('kind')
    layers = list(first_layers(model, nn))
    first = layers[0] if layers else None
    recurrent = next((m for m in layers if isinstance(m, nn.RNNBase)), None)
    time_major = spec['layout'] == 'time-major' if 'layout' in spec else (recurrent is not None and not recurrent.batch_first and 'shape' not in spec)
    if kind is None:
        kind = 'ids' if isinstance(first, nn.Embedding) else 'features'
    if kind == 'ids':
        vocab = spec.get('vocab') or (first.num_embeddings if isinstance(first, nn.Embedding) else None)
        if vocab is None:
            raise RuntimeError('ids input without an Embedding: give input.vocab in the manifest')
        x = torch.randint(0, vocab, tuple(spec.get('shape', (BATCH, LENGTH))), generator=g)
    else:
        features = spec.get('features')
        if features is None:
            if isinstance(first, nn.RNNBase) or isinstance(first, nn.RNNCellBase):
                features = first.input_size
            elif isinstance(first, nn.Linear):
                features = first.in_features
            elif isinstance(first, nn.Conv1d):
                features = first.in_channels
            elif isinstance(first, (nn.MultiheadAttention,)):
                features = first.embed_dim
            elif isinstance(first, nn.TransformerEncoderLayer):
                features = first.self_attn.embed_dim
            else:
                raise RuntimeError('cannot tell the input features: give input.features in the manifest')
        x = torch.randn(*spec.get('shape', (BATCH, LENGTH, features)), generator=g)
    if spec.get('layout') == 'batch-major':
        time_major = False
    return x, kind, time_major


def forward_arguments(model, x, spec, torch, time_major):
    """forward's arguments: the batch for the first parameter the manifest does not name (or the one it
    names "input"), then lengths (full), initial states (the model's init_hidden, else None), masks (nothing
    masked) for the parameters with no default, as the manifest's input.args or their names say."""
    import inspect
    params = [p for p in inspect.signature(model.forward).parameters.values() if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    extra = dict(spec.get('args', {}))
    batch, length = (x.shape[1], x.shape[0]) if time_major else (x.shape[0] if x.dim() > 0 else 1, x.shape[1] if x.dim() > 1 else 1)
    if params and not any(v == 'input' for v in extra.values()):
        first = next(p for p in params if p.name not in extra)
        extra[first.name] = 'input'
    args, names = [], []
    for p in params:
        n = p.name.lower()
        if p.name in extra:
            how = extra[p.name]
        elif p.default is not p.empty:
            break
        elif 'len' in n:
            how = 'lengths'
        elif 'hid' in n or n in ('h', 'h0', 'hc', 'state', 'states', 'prev_state', 'h_0', 'init_state'):
            how = 'init_hidden'
        elif 'mask' in n:
            how = 'none'
        else:
            raise RuntimeError(f'forward takes {p.name} with no default: give input.args.{p.name} in the manifest')
        if how == 'input':
            value = x
        elif how == 'lengths':
            value = torch.full((batch,), length, dtype=torch.int64)
        elif how == 'init_hidden':
            init = getattr(model, 'init_hidden', None) or getattr(model, 'initHidden', None) or getattr(model, 'init_hidden_state', None)
            if init is None:
                value = None
            else:
                try:
                    value = init(batch)
                except TypeError:
                    value = init()
        elif how == 'mask':
            value = torch.zeros((batch, length), dtype=torch.bool)
        elif how == 'none':
            value = None
        else:
            raise RuntimeError(f'unknown input.args value {how!r}')
        args.append(value)
        names.append((p.name, how))
    return args, names


def flatten(value, out):
    import torch
    if isinstance(value, torch.Tensor):
        out.append(value)
    elif isinstance(value, (tuple, list)):
        for v in value:
            flatten(v, out)
    elif isinstance(value, dict):
        for v in value.values():
            flatten(v, out)
    elif hasattr(value, 'data') and isinstance(getattr(value, 'data'), torch.Tensor):  # PackedSequence
        flatten(tuple(value), out)
    return out


# ---------------------------------------------------------------- saving

SAFETENSORS_DTYPES = {'float32': 'F32', 'float64': 'F64', 'float16': 'F16', 'bfloat16': 'BF16', 'int64': 'I64', 'int32': 'I32', 'int16': 'I16', 'int8': 'I8', 'uint8': 'U8', 'bool': 'BOOL'}


def write_safetensors(state, path):
    import torch
    header, chunks, offset = {}, [], 0
    for name, tensor in state.items():
        t = tensor.detach().contiguous().cpu()
        dtype = SAFETENSORS_DTYPES[str(t.dtype).replace('torch.', '')]
        data = t.view(torch.uint8).numpy().tobytes() if t.dtype == torch.bfloat16 else t.numpy().astype(t.numpy().dtype.newbyteorder('<')).tobytes()
        header[name] = {'dtype': dtype, 'shape': list(t.shape), 'data_offsets': [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    header['__metadata__'] = {'format': 'pt'}
    text = json.dumps(header, separators=(',', ':')).encode('utf-8')
    text += b' ' * ((8 - len(text) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for c in chunks:
            f.write(c)


# ---------------------------------------------------------------- one file

def run_one(entry_json):
    entry = json.loads(entry_json)
    repo, path = entry['repo'], entry['path']
    base = os.path.join(BROUGHT, folder_of(repo))
    file_path = os.path.join(base, path)
    out = os.path.join(OUT, folder_of(repo), path)
    os.makedirs(out, exist_ok=True)
    meta = {'repo': repo, 'path': path}
    signal.signal(signal.SIGALRM, on_alarm)
    try:
        import numpy as np
        import torch
        import torch.nn as nn
        torch.set_num_threads(1)
        # Real files often call .cuda() unconditionally; here everything stays on the CPU (the values do not change).
        torch.Tensor.cuda = lambda self, *a, **k: self
        nn.Module.cuda = lambda self, *a, **k: self
        roots = [os.path.abspath(base), os.path.abspath(os.path.dirname(file_path))] + [os.path.abspath(os.path.join(base, r)) for r in entry.get('roots', [])]
        finder = RepositoryFinder(roots)
        sys.meta_path.insert(0, finder)
        sys.path[:0] = roots
        name = '_seqlens_model_file'
        module = types.ModuleType(name)
        module.__file__ = file_path
        package = os.path.relpath(os.path.dirname(file_path), base).replace(os.sep, '.')
        module.__package__ = '' if package == '.' else package
        sys.modules[name] = module
        tree = exec_definitions(file_path, module.__dict__)
        meta['stand_ins'] = sorted(set(finder.stood))
        blocked = sorted(set(finder.stood) & UNINSTALLABLE)
        classes = module_classes(tree, module.__dict__, nn)
        names = [c.name for c in classes]
        meta['classes'] = names
        trees = [(tree, path)]
        for ctx in entry.get('context', []):
            p = os.path.join(base, ctx)
            if p != file_path and os.path.isfile(p) and p.endswith('.py'):
                try:
                    with open(p, encoding='utf-8', errors='replace') as f:
                        trees.append((ast.parse(f.read()), ctx))
                except SyntaxError:
                    pass
        sites = instantiation_sites(trees, set(names), classes)
        chosen, why = pick_class(tree, classes, sites, entry.get('class'))
        meta['class_choice'] = why
        if chosen is None:
            raise RuntimeError(f'cannot pick the model class ({why}): pin it with class in the manifest')
        meta['class'] = chosen
        cls = module.__dict__[chosen]
        site = sites.get(chosen, [None])[0]
        if site is not None:
            meta['instantiation_site'] = f'{site[1]}:{site[0].lineno}: {ast.unparse(site[0])[:160]}'
        constants = module_constants(tree)
        kwargs, how = constructor_arguments(cls, site, constants, entry.get('init', {}))
        injected = {}
        globals_given = entry.get('globals', {})
        module.__dict__.update(globals_given)
        for _ in range(12):
            torch.manual_seed(0)
            signal.alarm(60)
            try:
                model = cls(**kwargs)
                break
            except NameError as error:
                missing = getattr(error, 'name', None)
                value = size_for(missing) if missing else NO_VALUE
                if missing in injected or value is NO_VALUE:
                    raise
                # A script-level name the class reads (n_class = len(word_dict) under __main__).
                for holder in {id(cls.__init__.__globals__): cls.__init__.__globals__, id(module.__dict__): module.__dict__}.values():
                    holder[missing] = value
                injected[missing] = value
            finally:
                signal.alarm(0)
        if injected or globals_given:
            meta['globals'] = {**globals_given, **injected}
        meta['init'] = {k: (v.read() if isinstance(v, AutoConfig) else f'tensor{list(v.shape)}' if hasattr(v, 'shape') else v) for k, v in kwargs.items()}
        meta['init_from'] = how
        if entry.get('dtype') == 'float64':
            model.double()  # the file's script calls model.double()
        model.eval()
        state = model.state_dict()
        meta['state_dict'] = {k: list(v.shape) for k, v in state.items()}
        torch.save(state, os.path.join(out, 'model.pt'))
        write_safetensors(state, os.path.join(out, 'model.safetensors'))
        spec = entry.get('input', {})
        x, kind, time_major = input_for(model, nn, torch, spec)
        if x.is_floating_point() and any(p.dtype == torch.float64 for p in model.parameters()):
            x = x.double()
        np.save(os.path.join(out, 'input.npy'), x.numpy())
        fed = x.transpose(0, 1).contiguous() if time_major else x
        args, extra = forward_arguments(model, fed, spec, torch, time_major)
        meta['input'] = {'kind': kind, 'shape': list(x.shape), 'layout': 'time-major' if time_major else 'batch-major', 'args': extra}
        signal.alarm(60)
        with torch.no_grad():
            result = model(*args)
        signal.alarm(0)
        outputs = flatten(result, [])
        if not outputs:
            raise RuntimeError(f'forward returned no tensor ({type(result).__name__})')
        meta['outputs'] = []
        for i, t in enumerate(outputs):
            np.save(os.path.join(out, f'output_{i}.npy'), t.detach().numpy())
            meta['outputs'].append({'shape': list(t.shape), 'dtype': str(t.dtype).replace('torch.', '')})
        meta['status'] = 'ok'
        if blocked:
            meta['needs'] = blocked
    except BaseException as error:  # noqa: BLE001 - every failure is reported, none stops the others
        signal.alarm(0)
        meta['status'] = 'failed'
        meta['error'] = f'{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ""}'[:400]
        if 'finder' in locals():
            meta['stand_ins'] = sorted(set(finder.stood))
    with open(os.path.join(out, 'meta.json'), 'w') as f:
        json.dump(meta, f, indent=1, default=str)
    print(json.dumps(meta, default=str))


def entries(manifest):
    for repo in manifest['repos']:
        for path in repo['files']:
            e = {'repo': repo['repo'], 'path': path, 'context': repo.get('context', []), 'roots': repo.get('roots', [])}
            e.update(repo.get('models', {}).get(path, {}))
            yield e


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == '--one':
        run_one(sys.argv[2])
        return
    only = sys.argv[sys.argv.index('--only') + 1] if '--only' in sys.argv else None
    failed_only = '--failed' in sys.argv
    with open(os.path.join(HERE, 'runner-files.json')) as f:
        manifest = json.load(f)
    if not os.path.isdir(BROUGHT):
        sys.exit(f'{BROUGHT} is missing: run node test/realcode/bring.mjs --manifest runner-files.json first')
    ok = failed = 0
    for e in entries(manifest):
        if only and only not in f"{e['repo']}/{e['path']}":
            continue
        if failed_only:
            try:
                with open(os.path.join(OUT, folder_of(e['repo']), e['path'], 'meta.json')) as f:
                    if json.load(f).get('status') == 'ok':
                        continue
            except OSError:
                pass
        try:
            line = subprocess.run([sys.executable, __file__, '--one', json.dumps(e)], capture_output=True, text=True, timeout=300).stdout.strip().splitlines()
            meta = json.loads(line[-1]) if line else {'status': 'failed', 'error': 'the oracle printed nothing'}
        except subprocess.TimeoutExpired:
            meta = {'status': 'failed', 'error': 'timed out'}
        if meta.get('status') == 'ok':
            ok += 1
            print(f"ok      {e['repo']}/{e['path']}: {meta['class']} ({meta['class_choice']}), input {meta['input']['kind']} {meta['input']['shape']} {meta['input']['layout']}, outputs {[o['shape'] for o in meta['outputs']]}")
        else:
            failed += 1
            print(f"FAILED  {e['repo']}/{e['path']}: {meta.get('error')}")
    print(f'{ok} built and run by PyTorch {__import__("torch").__version__}, {failed} failed; written to {OUT}')


if __name__ == '__main__':
    main()

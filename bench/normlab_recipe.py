"""A sweep file's settings as NormLab resolves them (experiments' SweepLoader and SettingsTree):
defaults.yaml, deep-merged with the file (option maps replace), --set overrides, the grid
expanded in axis order (lists of values, or named values setting dotted keys), exclude applied.
Also NormLab's learning-rate schedule (TrialModule.schedule, LrSchedule). For the parity run,
load_points keeps the no-attack points of the asked norms (and, asked, their constant-attack
points at the strongest dose) and refuses any setting the PyTorch run cannot reproduce, naming
its key and where it was set."""
import copy
import math

import yaml

SWEEP_KEYS = ('name', 'description', 'seeds', 'grid', 'parameters', 'exclude')


class RecipeError(Exception):
    def __init__(self, key, message, where=None):
        super().__init__('%s%s: %s' % (where + ': ' if where else '', key, message))


class Located:
    """The sweep file's YAML node tree, to say at which line and column a key was written."""

    def __init__(self, path, text):
        self.path = path
        self.root = yaml.compose(text)

    def find(self, *keys):
        node, mark = self.root, None
        for k in keys:
            if not isinstance(node, yaml.MappingNode):
                return None
            hit = [(kn, vn) for kn, vn in node.value if kn.value == k]
            if not hit:
                return None
            mark, node = hit[0][0].start_mark, hit[0][1]
        return '%s:%d:%d' % (self.path, mark.line + 1, mark.column + 1) if mark else None

    def where(self, dotted, sets):
        """The --set, grid cell or nested key that set a dotted key, else the defaults."""
        for s in sets:
            k = s.split('=', 1)[0].strip()
            if k in (dotted, 'grid.' + dotted):
                return '--set ' + s
        grid = self.root and next((vn for kn, vn in self.root.value if kn.value in ('grid', 'parameters')), None)
        for kn, vn in (grid.value if isinstance(grid, yaml.MappingNode) else []):
            if kn.value == dotted:
                return self.find(grid_key(self.root), kn.value)
            if isinstance(vn, yaml.MappingNode):
                for cell, settings in vn.value:
                    for sk, _ in getattr(settings, 'value', []) if isinstance(settings, yaml.MappingNode) else []:
                        if sk.value == dotted:
                            return self.find(grid_key(self.root), kn.value, cell.value, sk.value)
        return self.find(*dotted.split('.')) or 'defaults.yaml'


def grid_key(root):
    return 'parameters' if any(kn.value == 'parameters' for kn, _ in root.value) else 'grid'


def merge(base, over):
    """SettingsTree.merge: mappings merge, except 'options', which is replaced like any value."""
    for k, v in over.items():
        if isinstance(base.get(k), dict) and isinstance(v, dict) and k != 'options':
            merge(base[k], v)
        else:
            base[k] = v


def set_dotted(root, dotted, value):
    parts = dotted.split('.')
    node = root
    for part in parts[:-1]:
        if node.get(part) is None:
            node[part] = {}
        node = node[part]
    node[parts[-1]] = value


def get_dotted(root, dotted):
    node = root
    for part in dotted.split('.'):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def apply_set(file, text):
    """SweepLoader.applySet: grid.AXIS=..., a sweep key, or a dotted setting."""
    if '=' not in text or text.index('=') == 0:
        raise RecipeError('--set ' + text, 'expected key=value, e.g. --set epochs=2 or --set grid.model.depth=[20]')
    key, value = text.split('=', 1)
    key, value = key.strip(), yaml.safe_load(value)
    if key.startswith('grid.'):
        file.setdefault('grid', {})[key[5:]] = value
    elif key in SWEEP_KEYS:
        file[key] = value
    else:
        set_dotted(file, key, value)


def expand(grid):
    """The grid points in SweepLoader's order: (label per axis, settings they assign)."""
    points = [({}, {})]
    for axis, values in grid.items():
        if isinstance(values, dict) and set(values) == {'values'}:
            values = values['values']
        if isinstance(values, list):
            cells = [(v, {axis: v}) for v in values]
        elif isinstance(values, dict) and values:
            cells = [(label, dict(settings or {})) for label, settings in values.items()]
        else:
            raise RecipeError('grid.' + axis, 'must have a non-empty list of values (or named values)')
        points = [({**lab, axis: c_label}, {**s, **c_set}) for lab, s in points for c_label, c_set in cells]
    return points


def excluded(entry, labels, settings):
    """Exclusions: a point that has all of an entry's values (a setting, or a named axis's label)."""
    return all((settings[k] if k in settings else labels.get(k)) == v for k, v in entry.items())


def load_points(path, sets, defaults_path, norms, strongest_constant=False):
    """(name, seeds, [(label, resolved settings)]) of the no-attack points of these norms; with
    strongest_constant also their points under the constant attack at its strongest dose (the
    largest attack.options.b of the grid's constant points; a, b and eval as the point sets them)."""
    with open(defaults_path) as f:
        defaults = yaml.safe_load(f)
    try:
        with open(path) as f:
            text = f.read()
    except OSError as e:
        raise RecipeError(path, 'cannot read the sweep file: %s' % e.strerror)
    located = Located(path, text)
    file = yaml.safe_load(text)
    for s in sets:
        apply_set(file, s)
    if file.get('steps') is not None and 'epochs' in file:
        raise RecipeError('steps', 'set either epochs or steps, not both', located.where('steps', sets))
    seeds = file.get('seeds', [0])
    base = copy.deepcopy(defaults)
    merge(base, {k: v for k, v in file.items() if k not in SWEEP_KEYS})
    points, constant = [], []
    for labels, settings in expand(file.get('grid') or file.get('parameters') or {}):
        if any(excluded(e, labels, settings) for e in file.get('exclude') or []):
            continue
        resolved = copy.deepcopy(base)
        for k, v in settings.items():
            set_dotted(resolved, k, copy.deepcopy(v))
        attack = resolved['attack']['name']
        if attack not in ('none', 'constant') or resolved['data']['name'] == 'mix' \
                or resolved['norm']['name'] not in norms or attack == 'constant' and not strongest_constant:
            continue
        check(resolved, lambda key: located.where(key, sets))
        label = ', '.join('%s=%s' % kv for kv in labels.items()) or 'base'
        resolved['_labels'] = dict(labels)  # the norm and attack as NormLab's results.csv names them
        (constant if attack == 'constant' else points).append((label, resolved))
    if constant:
        strongest = max(constant_b(r) for _, r in constant)
        points += [(label, r) for label, r in constant if constant_b(r) == strongest]
    if not points:
        raise RecipeError('grid', 'no grid point without attack (attack.name none, data.name not mix) for the '
                          'norms %s' % ', '.join(norms), path)
    return file.get('name', 'sweep'), seeds, points


# What the PyTorch run reproduces; anything else is refused rather than silently run differently.
SUPPORTED = {
    'data.name': ['fashion-mnist'], 'data.channels': [None, 1, 3], 'model.name': ['cifar_resnet'],
    'model.block': ['auto', 'basic'], 'model.shortcut': ['auto', 'A', 'B'],
    'model.init': ['fan_out', 'pytorch'], 'optimizer.name': ['sgd'], 'loss.name': ['cross_entropy'],
    'schedule.name': ['constant', 'multistep', 'cosine'], 'optimizer.lr_scaling': ['none', 'linear', 'sqrt'],
    'data.augment.crop_padding': [0], 'data.augment.flip': [False], 'data.augment.resize': [None],
    'data.augment.random_resized_crop': [None]}


def check(r, where):
    for key, allowed in SUPPORTED.items():
        if get_dotted(r, key) not in allowed:
            raise RecipeError(key, '%r is not reproduced by the PyTorch parity run; allowed: %s'
                              % (get_dotted(r, key), ', '.join(map(str, allowed))), where(key))
    if r['model']['shortcut'] == 'B' and r['model']['shortcut_norm'] != 'same':
        raise RecipeError('model.shortcut_norm', '%r with shortcut B is not reproduced; allowed: same'
                          % r['model']['shortcut_norm'], where('model.shortcut_norm'))
    depth = r['model']['depth']
    if not isinstance(depth, int) or depth < 8 or (depth - 2) % 6 or depth >= 164 and (depth - 2) % 9 == 0 \
            and r['model']['block'] == 'auto':
        raise RecipeError('model.depth', '%r: the PyTorch run builds basic units only, depth 6n+2 (8, 14, 20, '
                          '...; from 164 on only where auto picks basic units)' % depth, where('model.depth'))
    allowed = {'eps', 'groups', 'strict'} if r['norm']['name'] == 'gn' else \
        {'eps', 'momentum'} | ({'gate'} if r['norm']['name'] == 'iebn' else set())
    extra = set(r['norm']['options'] or {}) - allowed
    if extra:
        raise RecipeError('norm.options', '%s not reproduced; allowed: %s' % (', '.join(sorted(extra)), ', '.join(sorted(allowed))),
                          where('norm.options'))
    if (r['norm']['options'] or {}).get('gate', 'adaptive') not in ('adaptive', 'fixed'):
        raise RecipeError('norm.options.gate', '%r: allowed: adaptive, fixed' % r['norm']['options']['gate'],
                          where('norm.options'))
    if r['attack']['name'] == 'constant':
        extra = set(r['attack']['options'] or {}) - {'a', 'b', 'eval'}
        if extra:
            raise RecipeError('attack.options', '%s not reproduced for the constant attack; allowed: a, b, eval'
                              % ', '.join(sorted(extra)), where('attack.options'))


def constant_b(r):
    """The constant attack's b as NormLab's ConstantNoiseProvider defaults it (0.5)."""
    return float((r['attack']['options'] or {}).get('b', 0.5))


def constant_attack(r):
    """(a, b, in eval) of a constant-attack point, NormLab's defaults (1.5, 0.5, false) filled in; None without attack."""
    if r['attack']['name'] != 'constant':
        return None
    o = r['attack']['options'] or {}
    return float(o.get('a', 1.5)), constant_b(r), bool(o.get('eval', False))


def lr_schedule(r):
    """TrialModule.schedule: lr(epoch, fraction); with a steps budget the loop asks lr(step, 0)."""
    o, s = r['optimizer'], r['schedule']
    ratio = r['data']['batch_size'] / o['reference_batch']
    lr = {'linear': o['lr'] * ratio, 'sqrt': o['lr'] * math.sqrt(ratio)}.get(o['lr_scaling'], o['lr'])
    warmup = s['warmup_epochs']
    span = max(1, (r['steps'] or r['epochs']) - warmup)
    milestones = s['milestones'] or []

    def after(epoch, fraction):
        if s['name'] == 'multistep':
            return lr * s['gamma'] ** sum(1 for m in milestones if m <= epoch)
        if s['name'] == 'cosine':
            return lr * 0.5 * (1 + math.cos(math.pi * (epoch + fraction - warmup) / span))
        return lr

    def at(epoch, fraction):
        t = epoch + fraction
        return lr * (t + 1e-3) / warmup if t < warmup else after(epoch, fraction)
    return at

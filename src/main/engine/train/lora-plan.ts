// Which projections of which layers a LoraConfig adapts, with their rank, alpha and scaling: PEFT's rules
// (tuners_utils check_target_module_exists, get_pattern_key) applied to the module names of a Llama-family model.
import { basename } from 'node:path';
import { UserError } from '../../../shared/errors';
import { defaultTargetModules, loraModulesOf, type LoraModule } from '../../../shared/lora';
import { loraScaling, type DecoderConfig } from '../models';
import type { LoraConfigJson } from './peft-config';
import { modelModuleNames, parseModulePath } from './peft-names';

export interface LoraModulePlan {
  r: number;
  lora_alpha: number;
  scaling: number;
}

export interface LoraPlan {
  /** [L]: the adapted projections of each layer. */
  layers: Partial<Record<LoraModule, LoraModulePlan>>[];
  /** Every projection adapted in some layer (the ModelRunner's LoRA targets must include them). */
  targets: LoraModule[];
  /** The config's own scaling (r, lora_alpha, use_rslora), before rank_pattern / alpha_pattern. */
  scaling: number;
}

/** Python re.fullmatch / re.match(rf"(.*\.)?({key})$") as JS regexes; a bad pattern names the field. */
function regex(source: string, wrap: (s: string) => string, path: string, field: string): RegExp {
  try {
    return new RegExp(wrap(source));
  } catch (error) {
    throw new UserError(`${basename(path)}: ${field}: "${source}" is not a valid regular expression`, {
      where: `${path}: ${field}`,
      hint: 'Use a list of module names such as ["q_proj", "v_proj"], or a valid full-match regex.',
      code: 'adapter-config',
      cause: error,
    });
  }
}

type Matcher = (name: string) => boolean;

function nameMatcher(spec: string | readonly string[], path: string, field: string): Matcher {
  if (typeof spec === 'string') {
    const re = regex(spec, (s) => `^(?:${s})$`, path, field);
    return (name) => re.test(name);
  }
  return (name) => spec.some((t) => name === t || name.endsWith(`.${t}`));
}

/** PEFT's layer filter: the index after layers_pattern (default: any component) in the module name. */
function layerFilter(config: LoraConfigJson, path: string): ((name: string) => boolean) | null {
  const wanted = config.layers_to_transform;
  if (wanted == null || (Array.isArray(wanted) && wanted.length === 0)) return null;
  const layers = new Set(Array.isArray(wanted) ? wanted : [wanted]);
  const patterns =
    config.layers_pattern == null || config.layers_pattern.length === 0 ? null : [config.layers_pattern].flat();
  const res =
    patterns === null
      ? [/^.*\.[^.]*\.(\d+)\./]
      : patterns.map((p) => regex(p, (s) => `^.*\\.${s}\\.(\\d+)\\.`, path, 'layers_pattern'));
  return (name) => {
    for (const re of res) {
      const m = re.exec(name);
      if (m) return layers.has(Number(m[1]));
    }
    return false;
  };
}

/** Resolves target_modules (list, regex or "all-linear"), exclude_modules, layers_to_transform and the patterns. */
export function resolveLoraPlan(lora: LoraConfigJson, model: DecoderConfig, path: string): LoraPlan {
  const fail = (field: string, message: string, hint: string, code = 'adapter-config'): never => {
    throw new UserError(`${basename(path)}: ${field}: ${message}`, { where: `${path}: ${field}`, hint, code });
  };
  const modules = loraModulesOf(model.architecture);
  const spec = lora.target_modules ?? defaultTargetModules(model.architecture);
  const allLinear = spec === 'all-linear' || (Array.isArray(spec) && spec.length === 1 && spec[0] === 'all-linear');
  const targets = allLinear ? modules : spec;
  if (typeof targets === 'string' && lora.layers_to_transform != null) {
    fail(
      'layers_to_transform',
      'cannot be used when target_modules is a regex string (PEFT rejects it too)',
      'Give target_modules as a list of names.',
    );
  }
  const named = lora.layers_to_transform == null ? [] : [lora.layers_to_transform].flat();
  const outside = named.filter((layer) => layer >= model.num_hidden_layers);
  if (outside.length > 0) {
    // PEFT would adapt only the layers that exist: the adapter would silently lack what it was meant to change.
    fail(
      'layers_to_transform',
      `names layer${outside.length === 1 ? '' : 's'} ${outside.join(', ')}, but this ${model.architecture} has ${model.num_hidden_layers} layers (0 to ${model.num_hidden_layers - 1})`,
      'The adapter was made for a deeper model; use an adapter made for this base model.',
    );
  }
  const matches = nameMatcher(targets, path, 'target_modules');
  const excluded =
    lora.exclude_modules == null ? () => false : nameMatcher(lora.exclude_modules, path, 'exclude_modules');
  const inLayers = typeof targets === 'string' ? null : layerFilter(lora, path);

  const names = modelModuleNames(model);
  if (Array.isArray(targets)) {
    for (const t of targets) {
      if (!names.some((n) => n === t || n.endsWith(`.${t}`))) {
        fail(
          'target_modules',
          `"${t}" matches no module of this ${model.architecture} (its projections are ${modules.join(', ')})`,
          'The adapter was trained for another architecture; use an adapter made for this base model.',
        );
      }
    }
  }

  const ranks = Object.entries(lora.rank_pattern ?? {}).map(
    ([key, r]) => [regex(key, (s) => `^(?:.*\\.)?(?:${s})$`, path, 'rank_pattern'), r] as const,
  );
  const alphas = Object.entries(lora.alpha_pattern ?? {}).map(
    ([key, a]) => [regex(key, (s) => `^(?:.*\\.)?(?:${s})$`, path, 'alpha_pattern'), a] as const,
  );
  const layers: Partial<Record<LoraModule, LoraModulePlan>>[] = Array.from(
    { length: model.num_hidden_layers },
    () => ({}),
  );
  const used = new Set<LoraModule>();
  for (const name of names) {
    if (!matches(name) || excluded(name)) continue;
    const isExact = Array.isArray(targets) && targets.includes(name);
    if (inLayers && !isExact && !inLayers(name)) continue;
    const at = parseModulePath(name);
    if (at === null) {
      fail(
        'target_modules',
        `selects "${name}", which Dovetail cannot adapt (LoRA runs on the projections ${modules.join(', ')})`,
        'Retrain targeting only the attention and MLP projections (LoRA on embeddings or lm_head is not supported).',
        'adapter-unsupported',
      );
    } else {
      const r = ranks.find(([re]) => re.test(name))?.[1] ?? lora.r;
      const alpha = alphas.find(([re]) => re.test(name))?.[1] ?? lora.lora_alpha;
      (layers[at.layer] as Partial<Record<LoraModule, LoraModulePlan>>)[at.module] = {
        r,
        lora_alpha: alpha,
        scaling: loraScaling(r, alpha, lora.use_rslora),
      };
      used.add(at.module);
    }
  }
  if (used.size === 0) {
    fail(
      'target_modules',
      'selects no module of this model (check layers_to_transform, layers_pattern and exclude_modules)',
      'Use an adapter made for this base model.',
    );
  }
  return {
    layers,
    targets: modules.filter((m) => used.has(m)),
    scaling: loraScaling(lora.r, lora.lora_alpha, lora.use_rslora),
  };
}

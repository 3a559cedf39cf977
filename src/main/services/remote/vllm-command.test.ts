// The `vllm serve` line of a release (pure): its LoRA as one model name with the next rank vLLM allows, a soft prompt
// left out with the LoRA-only note, nothing for a soft-prompt-only release, the base alone said for a release
// without adapters, and shell quoting of folders with spaces.
import { describe, expect, it } from 'vitest';
import { vllmServeCommand } from './vllm-command';

const lora = { folder: '/ws/adapters/a1', r: 12, compatible: true, problems: [] };

describe('vllmServeCommand', () => {
  it('serves the LoRA under the release name, with --max-lora-rank rounded up to a rank vLLM takes', () => {
    const cmd = vllmServeCommand({
      releaseName: 'triage',
      version: '1.2.0',
      modelFolder: '/m/demo',
      lora,
      softPrompt: false,
    });
    expect(cmd).toMatchObject({ modelName: 'triage-1.2.0', maxLoraRank: 16, loraOnly: false });
    expect(cmd.command).toBe(
      'vllm serve /m/demo --enable-lora --lora-modules triage-1.2.0=/ws/adapters/a1 --max-lora-rank 16 --max-loras 1 --port 8000',
    );
    expect(cmd.notes).toHaveLength(1);
    expect(cmd.notes[0]).toContain('Requests name the model "triage-1.2.0"');
  });

  it('leaves a soft prompt out (LoRA only, said first) and quotes folders with spaces', () => {
    const cmd = vllmServeCommand({
      releaseName: 'triage joint',
      version: '1.0.0',
      modelFolder: '/my models/demo',
      lora: { ...lora, folder: "/ws/it's/a1" },
      softPrompt: true,
      port: 9000,
    });
    expect(cmd.loraOnly).toBe(true);
    expect(cmd.command).toBe(
      `vllm serve '/my models/demo' --enable-lora --lora-modules 'triage-joint-1.0.0=/ws/it'\\''s/a1' --max-lora-rank 16 --max-loras 1 --port 9000`,
    );
    expect(cmd.notes[0]).toMatch(/^vLLM cannot serve a soft prompt .* LoRA-only variant/);
  });

  it('gives no command for a soft prompt alone, and says the base is served alone for a release without adapters', () => {
    const soft = vllmServeCommand({
      releaseName: 's',
      version: '1.0.0',
      modelFolder: '/m',
      lora: null,
      softPrompt: true,
    });
    expect(soft).toMatchObject({ command: null, modelName: null, loraOnly: false });
    expect(soft.notes).toEqual([expect.stringContaining('this release has no LoRA: serve it with Dovetail')]);
    const plain = vllmServeCommand({
      releaseName: 'p',
      version: '1.0.0',
      modelFolder: '/m',
      lora: null,
      softPrompt: false,
    });
    expect(plain.command).toBeNull();
    expect(plain.notes).toEqual([
      expect.stringMatching(/^This release has no LoRA: vLLM serves its base model alone \(vllm serve \/m\)/),
    ]);
  });
});

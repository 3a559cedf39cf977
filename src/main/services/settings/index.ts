// The settings service: per-user app settings (settings.json in the user-data folder) and how they reach the engine.
export { SettingsService, type SettingsServiceOptions } from './settings-service';
export { applyEngineSettings, engineConfig, weightSettings } from './engine-settings';
export { SETTINGS_FILE } from './settings-file';

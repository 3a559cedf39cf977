// The engine service: the contract's face of the engine worker.
export { EngineService } from './engine-service';

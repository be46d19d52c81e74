import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { tierReaches } from '../../../../shared/domain/tier.js';
import { defaultModelOf, MODEL_CATALOG } from '../../domain/model-catalog.js';
import { EXTERNAL_DEFAULT_EFFORT, EXTERNAL_MODELS_TIER } from '../../domain/model-ref.js';
import { REASONING_EFFORTS } from '../../domain/reasoning-effort.js';
import { WorkspaceProviders } from '../workspace-providers.port.js';
import { ListModelsQuery } from './list-models.query.js';
import type { ModelEntry, ModelListing } from './model-listing.js';

/** The managed catalog and the workspace's connected external models, each marked locked or not, and its default model. */
@QueryHandler(ListModelsQuery)
export class ListModelsHandler implements IQueryHandler<ListModelsQuery> {
  constructor(private readonly workspaces: WorkspaceProviders) {}

  async execute({ caller }: ListModelsQuery): Promise<ModelListing> {
    const [connected, chosenDefaultModel] = await Promise.all([
      this.workspaces.connected(caller.workspaceId),
      this.workspaces.chosenDefaultModel(caller.workspaceId),
    ]);
    const managed: ModelEntry[] = MODEL_CATALOG.map((model) => ({
      id: model.id,
      label: model.label,
      description: model.description,
      intelligence: model.intelligence,
      contextWindow: model.contextWindow,
      speed: model.speed,
      source: 'managed',
      providerType: model.provider,
      requiredTier: model.requiredTier,
      locked: !tierReaches(caller.tier, model.requiredTier),
      reasoningEfforts: model.reasoningEfforts,
      defaultReasoningEffort: model.defaultReasoningEffort,
    }));
    const externalLocked = !tierReaches(caller.tier, EXTERNAL_MODELS_TIER);
    const external: ModelEntry[] = connected.flatMap((provider) =>
      provider.models.map((modelId) => ({
        id: `external:${provider.providerType}:${encodeURIComponent(modelId)}`,
        label: modelId,
        description: `${modelId} through the workspace's connected ${provider.providerType} provider`,
        intelligence: null,
        contextWindow: null,
        speed: null,
        source: 'external' as const,
        providerType: provider.providerType,
        requiredTier: EXTERNAL_MODELS_TIER,
        locked: externalLocked,
        reasoningEfforts: REASONING_EFFORTS,
        defaultReasoningEffort: EXTERNAL_DEFAULT_EFFORT,
      })),
    );
    return { tier: caller.tier, defaultModel: defaultModelOf({ tier: caller.tier, chosenDefaultModel }), models: [...managed, ...external] };
  }
}
